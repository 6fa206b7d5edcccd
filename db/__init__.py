"""The schema as numbered migrations (NNN_name.sql), installed as the package `tracker.db`.

This file only makes the folder a package, so that `importlib.resources` finds the migrations
in every kind of installation; see tracker/store/packaged.py.
"""

"""Data shipped with the application (the sample plan in sample/), installed as `tracker.resources`.

This file only makes the folder a package, so that `importlib.resources` finds its files in
every kind of installation; see tracker/store/packaged.py.
"""

"""Which packages the wheel holds; everything else about the project is in pyproject.toml.

The schema (`db/`) and the shipped data (`resources/`) stay top-level folders of the repository
and are installed inside the application as the packages `tracker.db` and `tracker.resources`
(pyproject.toml maps the folders and lists the data files), read with importlib.resources
(tracker/store/packaged.py). pyproject.toml cannot combine finding tracker's own packages with
listing these two, hence this file.
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["tracker", "tracker.*"]), "tracker.db", "tracker.resources"])

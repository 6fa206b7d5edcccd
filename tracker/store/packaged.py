"""Data files installed inside the package: the schema (`db/`) and the sample plan (`resources/`).

In the repository they are the top-level folders `db/` and `resources/`; packaging maps them to
the packages `tracker.db` and `tracker.resources` (see `setup.py`), so a wheel, an editable
install and the Windows bundle all find them through `importlib.resources`, never by a path
relative to this file. A broken installation (a file deleted or unreadable) is refused in one
sentence naming the file, not with a traceback.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from tracker.store.errors import StoreError

SCHEMA_PACKAGE = "tracker.db"
RESOURCES_PACKAGE = "tracker.resources"
_REINSTALL = "reinstall Commitment Tracker"


class PackagedDataError(StoreError):
    """A data file that should have been installed with the application is missing or unreadable."""


def folder(package: str, *parts: str) -> Traversable:
    """The installed folder of `package` (a subfolder when `parts` are given)."""
    name = "/".join((package.replace(".", "/"), *parts))
    try:
        found = files(package).joinpath(*parts)
        present = found.is_dir()
    except (ImportError, OSError):
        present = False
    if not present:
        raise PackagedDataError(f"The installation of Commitment Tracker is incomplete: its folder "
                                f"{name} is missing; {_REINSTALL}.")
    return found


def listing(directory: Traversable, suffix: str) -> list[Traversable]:
    """The files in an installed folder whose names end with `suffix`, sorted by name."""
    try:
        entries = [e for e in directory.iterdir() if e.name.endswith(suffix) and e.is_file()]
    except OSError as exc:
        raise _unreadable(directory, exc) from exc
    return sorted(entries, key=lambda e: e.name)


def read_text(file: Traversable) -> str:
    """An installed text file, as UTF-8."""
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _unreadable(file, exc) from exc


def _unreadable(item: Traversable, exc: Exception) -> PackagedDataError:
    if isinstance(exc, UnicodeDecodeError):
        reason = "not UTF-8 text"
    else:
        reason = getattr(exc, "strerror", None) or str(exc)
    return PackagedDataError(f"The installation of Commitment Tracker is damaged: {item} cannot be "
                             f"read ({reason}); {_REINSTALL}.")

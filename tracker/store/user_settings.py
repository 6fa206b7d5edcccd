"""The officer's own settings, shared by the window and the command line: a small JSON file in
the platform's configuration folder (`~/.config/CommitmentTracker/settings.json` on Linux,
`%LOCALAPPDATA%\\CommitmentTracker\\settings.json` on Windows). `TRACKER_SETTINGS` names another
file (tests, a portable copy).

    officer_name   who the history, the activity log and a workbook's "Sent by" name
    officer_email  the From address of e-mail drafts (optional)

A damaged or unreadable file counts as empty (the settings are asked for again), and a write
replaces the file whole, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tracker.domain.text import check_text
from tracker.store.errors import StoreError, ValidationError

APP_NAME = "CommitmentTracker"
SETTINGS_ENV = "TRACKER_SETTINGS"
OFFICER_ENV = "TRACKER_OFFICER"
MAX_BYTES = 64 * 1024


def settings_path() -> Path:
    named = os.environ.get(SETTINGS_ENV, "").strip()
    if named:
        return Path(named).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "settings.json"


def load() -> dict[str, Any]:
    path = settings_path()
    try:
        if path.stat().st_size > MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(changes: dict[str, Any]) -> Path:
    """Merge `changes` into the settings file (a value of None removes the setting)."""
    path = settings_path()
    data = load()
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError as exc:
        raise StoreError(f"Cannot save your settings in {path}: {exc.strerror or exc}.") from exc
    return path


def _clean_name(name: str) -> str:
    clean = " ".join(str(name or "").split())
    if not clean:
        raise ValidationError("Type your name, as the history of changes should record it.",
                              "officer_name")
    if len(clean) > 120:
        raise ValidationError("A name can be at most 120 characters.", "officer_name")
    try:
        check_text(clean, "Your name", "officer_name")
    except ValueError as exc:
        raise ValidationError(str(exc), "officer_name") from exc
    return clean


def saved_officer_name() -> str | None:
    """The name saved in the settings file, if any (TRACKER_OFFICER not considered)."""
    value = load().get("officer_name")
    if not isinstance(value, str):
        return None
    try:
        return _clean_name(value)
    except ValidationError:
        return None


def set_officer_name(name: str) -> str:
    clean = _clean_name(name)
    save({"officer_name": clean})
    return clean


def officer_from_environment() -> str | None:
    name = " ".join(os.environ.get(OFFICER_ENV, "").split())
    return name or None


def officer_name() -> str | None:
    """TRACKER_OFFICER, else the name in the settings file; None when neither is set."""
    return officer_from_environment() or saved_officer_name()


def officer_email() -> str | None:
    value = load().get("officer_email")
    if not isinstance(value, str) or not value.strip():
        return None
    from tracker.domain.contacts import check_email

    try:
        return check_email(value)
    except ValueError:
        return None


def set_officer_email(address: str | None) -> str | None:
    from tracker.domain.contacts import check_email

    if not str(address or "").strip():
        save({"officer_email": None})
        return None
    try:
        clean = check_email(address)
    except ValueError as exc:
        raise ValidationError(str(exc), "officer_email") from exc
    save({"officer_email": clean})
    return clean

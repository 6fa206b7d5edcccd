"""Timestamps and identifiers for new rows."""

import uuid
from datetime import datetime, timezone


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_uid() -> str:
    return str(uuid.uuid4())

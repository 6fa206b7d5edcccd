"""Timestamps and identifiers for new rows."""

import uuid
from datetime import UTC, datetime


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_uid() -> str:
    return str(uuid.uuid4())

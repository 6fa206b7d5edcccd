"""The store's check on free text: the domain rule, refused as a ValidationError naming the field."""

from __future__ import annotations

from collections.abc import Mapping

from tracker.domain.text import TextError, check_link, check_text
from tracker.store.errors import ValidationError


def check(value: object, what: str, field: str) -> None:
    """ValidationError when `value` holds a character stored text may not hold."""
    try:
        check_text(value, what, field)
    except TextError as exc:
        raise ValidationError(str(exc), field) from None


def check_fields(fields: Mapping[str, object], labels: Mapping[str, str]) -> None:
    """Check each field of `fields` that `labels` names (field -> how the officer knows it)."""
    for key, what in labels.items():
        if key in fields:
            check(fields[key], what, key)


def link(value: str | None, what: str = "The link", field: str = "link") -> str | None:
    """The link stripped, None when blank; ValidationError unless http, https or mailto."""
    try:
        return check_link(value, what, field)
    except TextError as exc:
        raise ValidationError(str(exc), field) from None

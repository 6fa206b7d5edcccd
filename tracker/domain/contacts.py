"""A partner's contacts: who a round's e-mail goes to, and the address rules they must meet."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.domain.text import TextError, check_text

# Deliberately plain: the local part and a domain with a dot, no spaces, no angle brackets,
# no second @. What a mail program accepts in its To line; exotic RFC 5322 forms are refused.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    role: str | None = None
    id: int | None = None
    partner_id: int | None = None


def check_email(address: str) -> str:
    """The address tidied, or a TextError saying what is wrong with it."""
    text = str(address or "").strip()
    if not text:
        raise TextError("A contact needs an e-mail address.", "email")
    check_text(text, "The e-mail address", "email")
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if not _ADDRESS.match(text) or ".." in text:
        raise TextError(f"'{text}' is not an e-mail address; write it as name@example.org.",
                        "email")
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def check_contact(name: str, email: str, role: str | None = None) -> Contact:
    """A contact with its fields checked and tidied (TextError names the field)."""
    clean = " ".join(str(name or "").split())
    if not clean:
        raise TextError("A contact needs a name.", "name")
    check_text(clean, "The contact's name", "name")
    role = " ".join(str(role or "").split()) or None
    if role:
        check_text(role, "The contact's role", "role")
    return Contact(clean, check_email(email), role)

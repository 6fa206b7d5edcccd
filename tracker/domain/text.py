"""Text that is safe to keep and to write out, whatever characters were typed or pasted.

Stored text may hold any printable character, tabs and line breaks. Control characters (NUL,
bell, escape, the C1 block, DEL), lone surrogates and U+FFFE/U+FFFF are invisible on screen and
cannot be written to Word, PDF or workbook XML: they are refused where text comes in
(`check_text`, naming the field) and dropped where text goes out (`xml_safe`), for anything
stored before the check existed. Links must be web or e-mail addresses: `check_link` refuses
others at input and `safe_link` tells a writer whether a stored link may be made clickable.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Tab, line feed and carriage return are line layout, not control characters, here.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NAMES = {"\x00": "NUL", "\x07": "bell", "\x08": "backspace", "\x0b": "vertical tab",
          "\x0c": "form feed", "\x1b": "escape", "\x7f": "delete"}
LINK_SCHEMES = ("http", "https", "mailto")


class TextError(ValueError):
    """Text refused at input; `field` names the field, the message says what and where."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def first_unsafe(text: str) -> tuple[int, str] | None:
    """The 1-based position and a description of the first character text may not hold."""
    if text.isprintable():  # as in xml_safe: much quicker, and true of nearly every text
        return None
    found = _UNSAFE.search(text)
    if found is None:
        return None
    return found.start() + 1, describe_character(found.group())


def describe_character(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        return f"a broken character ({code}, half of a surrogate pair)"
    if char in "\ufffe\uffff":
        return f"a character that is not text ({code})"
    name = _NAMES.get(char)
    return f"a control character ({name}, {code})" if name else f"a control character ({code})"


def check_text(value: object, what: str, field: str | None = None) -> None:
    """Refuse text holding a character it may not hold, in one sentence naming `what`.

    `what` is how the officer knows the field ("The evidence text", "Partner name"); None and
    non-text values pass (other checks deal with them).
    """
    if not isinstance(value, str):
        return
    found = first_unsafe(value)
    if found is not None:
        at, char = found
        raise TextError(f"{what} holds {char} at character {at:,}, which cannot be shown or "
                        "printed; delete it (it is often pasted in unseen) and try again.", field)


def xml_safe(text: str) -> str:
    """`text` without the characters XML, Word and PDF cannot hold (tab, CR and LF are kept)."""
    # Every character dropped here is one str.isprintable refuses, and that check is much
    # quicker than the search for nearly every text (which has none): reports pass thousands.
    return text if text.isprintable() else _UNSAFE.sub("", text)


def safe_link(url: str | None) -> str | None:
    """The link as written when it is an http, https or mailto address, otherwise None.

    A writer makes a link clickable only when this returns it; anything else (javascript:,
    file:, data:, a bare word) is shown as plain text or left out.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _UNSAFE.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in LINK_SCHEMES:
        return None
    if scheme == "mailto":
        return url if "@" in parts.path else None
    return url if parts.hostname else None


def check_link(url: str | None, what: str = "The link", field: str | None = "link") -> str | None:
    """The link stripped (None when blank), or TextError saying which addresses are allowed."""
    if url is None or not str(url).strip():
        return None
    url = str(url).strip()
    if safe_link(url) is not None:
        return url
    check_text(url, what, field)
    shown = url if len(url) <= 60 else url[:59] + "…"
    if url.lower().startswith("www."):
        hint = f"write it as https://{shown}"
    else:
        hint = "links must start with https://, http:// or mailto:"
    raise TextError(f"{what} '{shown}' is not a web or e-mail address; {hint}.", field)


def html_escape(text: object) -> str:
    """Text put into Qt rich text or HTML shown as text: &, <, > and quotes escaped."""
    import html

    return html.escape(str(text))

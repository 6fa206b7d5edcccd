"""Files attached to evidence: what the tracker keeps of each, and the rules it keeps them by.

A file is kept inside the database, whole, with its size and SHA-256, up to `MAX_BYTES`
(10 MB each, the limit ClearPoint sets). An attachment is internal by default: partners are
never sent the file, and a partner's workbook names it only when it is shareable.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass

from tracker.domain.model import Visibility

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 200
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


@dataclass(frozen=True)
class Attachment:
    id: int
    uid: str
    evidence_id: int
    position: int
    file_name: str
    media_type: str | None
    size: int
    sha256: str
    visibility: Visibility = Visibility.INTERNAL
    added_by: str | None = None
    created_at: str = ""

    @property
    def described(self) -> str:
        """"report.pdf (1.2 MB)"."""
        return f"{self.file_name} ({size_words(self.size)})"


class AttachmentError(ValueError):
    """A file the tracker will not keep; the message says why and what to do."""


def size_words(size: int) -> str:
    """1023 -> "1,023 bytes"; 1536 -> "1.5 KB"; 10485760 -> "10 MB"."""
    if size < 1024:
        return f"{size:,} byte" + ("" if size == 1 else "s")
    for unit, scale in (("KB", 1024), ("MB", 1024 ** 2), ("GB", 1024 ** 3)):
        if size < scale * 1024 or unit == "GB":
            value = size / scale
            text = f"{value:.1f}".rstrip("0").rstrip(".")
            return f"{text} {unit}"
    raise AssertionError("unreachable")


LIMIT_WORDS = size_words(MAX_BYTES)


def clean_file_name(name: str) -> str:
    """The name a file is kept under: its last path part, without characters a file name on
    Windows may not hold; AttachmentError when nothing is left or it is too long."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    clean = " ".join(_UNSAFE.sub("_", base).split()).strip(" .")
    if not clean:
        raise AttachmentError("The file needs a name.")
    if len(clean) > MAX_NAME:
        stem, dot, ext = clean.rpartition(".")
        keep = MAX_NAME - len(ext) - 1 if dot and len(ext) <= 10 else MAX_NAME
        clean = (stem[:keep] + "." + ext) if dot and len(ext) <= 10 else clean[:MAX_NAME]
    return clean


def check_size(size: int, name: str) -> None:
    if size > MAX_BYTES:
        raise AttachmentError(f"{name} is {size_words(size)}; a file attached to evidence may be "
                              f"at most {LIMIT_WORDS}. Attach a smaller copy, or a link to "
                              "where the file is kept.")


def media_type_of(name: str) -> str | None:
    return mimetypes.guess_type(name, strict=False)[0]


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()

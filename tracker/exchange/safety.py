"""Checks on an untrusted workbook file before openpyxl sees it.

openpyxl (with defusedxml) refuses entity-expansion attacks, but not a 1 MB file that inflates
to 1 GB nor a declared sheet of a million rows, and it would open macro-enabled or encrypted
files with unhelpful errors. Everything here works on the zip directory and the first bytes of
each XML part, so it is cheap, and it runs on an in-memory snapshot of the file whose SHA-256
is what the return records.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from tracker.exchange.errors import WorkbookRefused

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
# Spreadsheet XML compresses well (10-30x is usual); far beyond that is a zip bomb.
MAX_RATIO = 150
RATIO_CHECK_FROM = 1024 * 1024

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_HEADER = b"PK\x03\x04"
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass(frozen=True)
class Snapshot:
    """The bytes of a workbook as read once, and their hash."""

    path: Path
    data: bytes
    sha256: str
    has_formulas: bool

    @property
    def name(self) -> str:
        return self.path.name

    def stream(self) -> io.BytesIO:
        return io.BytesIO(self.data)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def take_snapshot(path: str | Path) -> Snapshot:
    """Read the file once and check it is a plain .xlsx we are willing to open."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise WorkbookRefused(f"{name}: there is no such file.")
    if path.is_dir():
        raise WorkbookRefused(f"{name} is a folder, not a workbook.")
    suffix = path.suffix.lower()
    if suffix in (".xlsm", ".xltm", ".xlsb", ".xlam"):
        raise WorkbookRefused(f"{name} is a macro-enabled workbook ({suffix}); macros are never "
                              "opened. Ask the partner to save it as an Excel Workbook (.xlsx).")
    size = path.stat().st_size
    if size == 0:
        raise WorkbookRefused(f"{name} is empty (0 bytes).")
    if size > MAX_FILE_BYTES:
        raise WorkbookRefused(f"{name} is {size / 1048576:.0f} MB; a return may be at most "
                              f"{MAX_FILE_BYTES // 1048576} MB.")
    data = path.read_bytes()
    if len(data) != size:
        raise WorkbookRefused(f"{name} changed while it was being read; wait until it has "
                              "finished saving or copying, then try again.")
    if data.startswith(OLE_HEADER):
        raise WorkbookRefused(
            f"{name} is password-protected (encrypted) or in the old .xls format. Ask the partner "
            "to remove the password, or open it in Excel and save it as an Excel Workbook (.xlsx).")
    if not data.startswith(ZIP_HEADER):
        raise WorkbookRefused(f"{name} is not an Excel workbook (.xlsx).")
    has_formulas = _check_zip(name, data)
    return Snapshot(path, data, hashlib.sha256(data).hexdigest(), has_formulas)


def _check_zip(name: str, data: bytes) -> bool:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise WorkbookRefused(f"{name} is damaged or not an Excel workbook (.xlsx): {exc}.") from exc
    if len(members) > MAX_MEMBERS:
        raise WorkbookRefused(f"{name} has {len(members)} parts; a workbook has far fewer. "
                              "It was not opened.")
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise WorkbookRefused(f"{name} is not an Excel workbook (.xlsx): it has no workbook part.")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise WorkbookRefused(f"{name} contains macros (vbaProject.bin); macros are never opened. "
                              "Ask the partner to save it as an Excel Workbook (.xlsx).")
    total = 0
    has_formulas = False
    for member in members:
        if member.flag_bits & 0x1:
            raise WorkbookRefused(f"{name} is password-protected; it was not opened.")
        total += member.file_size
        if member.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise WorkbookRefused(
                f"{name} unpacks to more than {MAX_TOTAL_BYTES // 1048576} MB ({member.filename}); "
                "it is larger than any return and was not opened.")
        if (member.file_size > RATIO_CHECK_FROM
                and member.file_size > MAX_RATIO * max(member.compress_size, 1)):
            raise WorkbookRefused(
                f"{name} looks like a zip bomb: {member.filename} unpacks "
                f"{member.file_size // max(member.compress_size, 1)} times larger than it is "
                "stored. It was not opened.")
    try:
        content_types = archive.read("[Content_Types].xml")[:200_000]
    except (zipfile.BadZipFile, zlib.error, OSError) as exc:
        raise WorkbookRefused(f"{name} is damaged: {exc}.") from exc
    if b"macroEnabled" in content_types:
        raise WorkbookRefused(f"{name} is a macro-enabled workbook; macros are never opened. "
                              "Ask the partner to save it as an Excel Workbook (.xlsx).")
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        head, formulas = _scan_member(archive, member, name)
        if _DTD.search(head):
            raise WorkbookRefused(
                f"{name} declares XML entities ({member.filename}), which an Excel workbook never "
                "does: it may be an entity-expansion attack. It was not opened.")
        if formulas and member.filename.startswith("xl/worksheets/"):
            has_formulas = True
    return has_formulas


def _scan_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> tuple[bytes, bool]:
    """The first 4 KB of a part (where a DTD would be) and whether a worksheet holds formulas."""
    try:
        with archive.open(member) as handle:
            head = handle.read(4096)
            if not member.filename.startswith("xl/worksheets/"):
                return head, False
            found = bool(_FORMULA.search(head))
            tail = head[-16:]
            while not found:
                block = handle.read(1 << 20)
                if not block:
                    break
                found = bool(_FORMULA.search(tail + block))
                tail = block[-16:]
            return head, found
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise WorkbookRefused(f"{name} is damaged ({member.filename}: {exc}).") from exc


def check_unchanged(snapshot: Snapshot) -> None:
    """Refuse when the file on disk is no longer the one that was read."""
    try:
        now = sha256_of(snapshot.path)
    except OSError as exc:
        raise WorkbookRefused(f"{snapshot.name} disappeared while it was being read ({exc}).") from exc
    if now != snapshot.sha256:
        raise WorkbookRefused(f"{snapshot.name} changed while it was being read; wait until it "
                              "has finished saving or copying, then try again. Nothing was written.")

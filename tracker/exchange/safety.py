"""The gate in front of any workbook reader: what an untrusted file must pass before it is parsed.

The file is read once into memory (its SHA-256 is what a return records) and checked without
any spreadsheet library: the kind of file (an .ods, .xls, .csv or macro-enabled workbook is
refused with the fix), the zip directory (parts, their inflated sizes against stated limits,
compression ratio, encryption, macros), then every XML part is parsed once with expat, which
refuses a DTD or entity declaration wherever it is and any XML that is not well-formed (a
mismatched tag, a raw control byte), naming the sheet and cell; a worksheet in the form
spreadsheets write has a quicker pass that decides the same (`sheet_scan`). The directory's sizes are
upper bounds: zipfile stops at the declared size and then fails the CRC check.

Nothing here depends on which library then reads the values (openpyxl today): readers get
`Snapshot.stream(cancelled)`, read with explicit row and column bounds (never a declared
dimension: `Snapshot.extents` says what each sheet declares and holds), and translate their own
errors through `tracker.exchange.reading`.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from tracker.exchange.errors import Cancelled, WorkbookRefused
from tracker.exchange.layout import column_letter, column_number
from tracker.exchange.sheet_scan import GRID_COLUMNS, GRID_ROWS, MAX_DEPTH, quick_facts

IsCancelled = Callable[[], bool]


@dataclass(frozen=True)
class Limits:
    """What a workbook may hold, stated before anything is parsed."""

    file_bytes: int = 20 * 1024 * 1024
    members: int = 500
    shared_strings_bytes: int = 8 * 1024 * 1024   # all the workbook's text
    sheet_bytes: int = 32 * 1024 * 1024           # each worksheet's XML
    part_bytes: int = 16 * 1024 * 1024            # any other part (styles, images ...)
    total_bytes: int = 64 * 1024 * 1024           # everything, unpacked
    what: str = "a return"


# A partner's return is a few hundred rows; 8 MB of text is twenty times the largest one.
RETURN_LIMITS = Limits()
# A whole plan (every evidence statement) saved again by a spreadsheet may carry far more text.
PLAN_LIMITS = Limits(shared_strings_bytes=48 * 1024 * 1024, sheet_bytes=96 * 1024 * 1024,
                     part_bytes=16 * 1024 * 1024, total_bytes=200 * 1024 * 1024,
                     what="a whole-plan workbook")

# Spreadsheet XML compresses well (10-30x is usual); far beyond that is a zip bomb.
MAX_RATIO = 150
RATIO_CHECK_FROM = 1024 * 1024
# A worksheet up to this size is unpacked whole for the quick pass (sheet_scan); larger ones,
# which only a whole plan's workbook may hold, are read by the exact pass as they unpack.
QUICK_SHEET_BYTES = 32 * 1024 * 1024

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_HEADER = b"PK\x03\x04"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)  # in parts that are not parsed as XML
_XML_PARTS = (".xml", ".rels")
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")  # as any XML part holding one writes them
_SAVE_AS = "open it in Excel or LibreOffice Calc and save it as an Excel Workbook (.xlsx)"
_OTHER_FORMATS = {
    ".ods": "an OpenDocument spreadsheet (.ods)",
    ".fods": "an OpenDocument spreadsheet (.fods)",
    ".xls": "in the old Excel 97-2003 format (.xls)",
    ".xlsb": "an Excel Binary Workbook (.xlsb)",
    ".csv": "a CSV text file, not a workbook",
    ".tsv": "a text file, not a workbook",
    ".txt": "a text file, not a workbook",
    ".numbers": "an Apple Numbers file",
}
_MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_REL_NS = {"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
           "http://purl.oclc.org/ooxml/officeDocument/relationships"}
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")  # ASCII digits only


@dataclass(frozen=True)
class Extent:
    """What a worksheet says about its size, and the largest row and column it holds."""

    declared: str | None
    rows: int
    columns: int


@dataclass(frozen=True)
class Snapshot:
    """The bytes of a workbook as read once, their hash, and what the gate learnt of them."""

    path: Path
    data: bytes
    sha256: str
    has_formulas: bool
    sheet_parts: dict[str, str] = field(default_factory=dict)  # part name -> sheet name
    extents: dict[str, Extent] = field(default_factory=dict)    # sheet name -> extent
    # Whether an XML part holds a DTD or entity declaration's bytes (looked for as unpacked).
    declares_entities: bool = False

    @property
    def name(self) -> str:
        return self.path.name

    def stream(self, cancelled: IsCancelled | None = None) -> io.BytesIO:
        """The bytes as a file for a reader; every read checks `cancelled` (Cancelled)."""
        if cancelled is None:
            return io.BytesIO(self.data)
        return _CancellableStream(self.data, cancelled)


class _CancellableStream(io.BytesIO):
    """A reader pulls compressed bytes through read() while it parses, so a cancel request is
    seen within a few kilobytes of XML, inside the library's own parsing as well as ours."""

    def __init__(self, data: bytes, cancelled: IsCancelled):
        super().__init__(data)
        self._cancelled = cancelled

    def read(self, size: int | None = -1) -> bytes:
        if self._cancelled():
            raise Cancelled()
        return super().read(size)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def take_snapshot(path: str | Path, limits: Limits | None = None,
                  cancelled: IsCancelled | None = None) -> Snapshot:
    """Read the file once and check it is a plain .xlsx within `limits` (a return's, unless
    given); WorkbookRefused says why not in one sentence, Cancelled when `cancelled()` is true."""
    limits = limits or RETURN_LIMITS
    path = Path(path)
    name = path.name
    if not path.exists():
        raise WorkbookRefused(f"{name}: there is no such file.")
    if path.is_dir():
        raise WorkbookRefused(f"{name} is a folder, not a workbook.")
    suffix = path.suffix.lower()
    if suffix in _MACRO_SUFFIXES:
        raise WorkbookRefused(f"{name} is a macro-enabled workbook ({suffix}), and macros are "
                              f"never opened; {_SAVE_AS}, then import that file.")
    if suffix in _OTHER_FORMATS:
        raise WorkbookRefused(f"{name} is {_OTHER_FORMATS[suffix]}; {_SAVE_AS}, then import "
                              "that file.")
    size = path.stat().st_size
    if size == 0:
        raise WorkbookRefused(f"{name} is empty (0 bytes).")
    if size > limits.file_bytes:
        raise WorkbookRefused(f"{name} is {_mb(size)}; {limits.what} may be at most "
                              f"{_mb(limits.file_bytes)}.")
    data = path.read_bytes()
    if len(data) != size:
        raise WorkbookRefused(f"{name} changed while it was being read; wait until it has "
                              "finished saving or copying, then try again.")
    if data.startswith(OLE_HEADER):
        if _ENCRYPTED in data[:1 << 20]:
            raise WorkbookRefused(f"{name} is password-protected (encrypted); ask the partner to "
                                  "remove the password in Excel (File, Info, Protect Workbook) "
                                  "and send it again.")
        raise WorkbookRefused(f"{name} is in the old Excel 97-2003 format (.xls) or is "
                              f"password-protected; {_SAVE_AS} without a password.")
    if not data.startswith(ZIP_HEADER):
        if _looks_like_text(data):
            raise WorkbookRefused(f"{name} is not an Excel workbook (.xlsx) but a text file; if it "
                                  f"is a CSV export, {_SAVE_AS}.")
        raise WorkbookRefused(f"{name} is not an Excel workbook (.xlsx); if it is a spreadsheet "
                              f"in another format, {_SAVE_AS}.")
    gate = _Gate(name, data, limits, cancelled)
    gate.run()
    return Snapshot(path, data, hashlib.sha256(data).hexdigest(), gate.has_formulas,
                    dict(gate.sheet_parts), dict(gate.extents), gate.declares_entities)


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # a character cut at the end of the sample
    return True


def _mb(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size < 10 * 1048576 else f"{size / 1048576:.0f} MB"


class _Gate:
    def __init__(self, name: str, data: bytes, limits: Limits, cancelled: IsCancelled | None):
        self.name, self.data, self.limits, self.cancelled = name, data, limits, cancelled
        self.app = "Excel"
        self.has_formulas = False
        self.sheet_parts: dict[str, str] = {}
        self.extents: dict[str, Extent] = {}
        # Whether any XML part holds the bytes of a DTD or entity declaration: looked for in
        # the bytes as they are unpacked for expat, apart from expat's own refusal of them
        # (fast_read trusts neither alone).
        self.declares_entities = False

    def refuse(self, message: str) -> WorkbookRefused:
        return WorkbookRefused(f"{self.name} {message}")

    def run(self) -> None:
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(self.data))
            members = self.archive.infolist()
        except Exception as exc:  # any failure to read an untrusted directory is damage
            raise self.refuse("is damaged or not an Excel workbook (.xlsx): its list of parts "
                              "cannot be read; ask the partner to save it again and resend "
                              "it.") from exc
        self.check_directory(members)
        content_types = self.read_small("[Content_Types].xml")
        if b"macroEnabled" in content_types:
            raise self.refuse(f"is a macro-enabled workbook, and macros are never opened; "
                              f"{_SAVE_AS}, then import that file.")
        by_name = {m.filename: m for m in members}
        # The workbook and its relationships first: they say which part is which sheet.
        for first in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            if first in by_name:
                self.parse(by_name[first])
        for member in members:
            if member.filename in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
                continue
            if member.filename.lower().endswith(_XML_PARTS):
                self.parse(member)
            elif member.filename.lower().endswith(".vml"):
                self.scan_for_dtd(member)  # legacy drawing markup: not parsed by readers

    def check_directory(self, members: list[zipfile.ZipInfo]) -> None:
        if len(members) > self.limits.members:
            raise self.refuse(f"has {len(members):,} parts, more than the {self.limits.members:,} "
                              f"{self.limits.what} may have; it was not opened.")
        names = [m.filename for m in members]
        if names and names[0] == "mimetype" and b"opendocument" in self.data[:200]:
            raise self.refuse(f"is an OpenDocument spreadsheet (.ods) named as .xlsx; {_SAVE_AS}, "
                              "then import that file.")
        if len(set(names)) != len(names):
            raise self.refuse("is damaged: it holds two parts with the same name, which no "
                              "spreadsheet writes; ask the partner to save it again.")
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise self.refuse("is not an Excel workbook (.xlsx): it has no workbook part.")
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise self.refuse(f"contains macros (vbaProject.bin), and macros are never opened; "
                              f"{_SAVE_AS}, then import that file.")
        total = 0
        total_limit = self.limits.total_bytes
        for member in members:
            if member.flag_bits & 0x1:
                raise self.refuse("is password-protected; ask the partner to remove the password "
                                  "and send it again.")
            limit, what = self.limit_of(member.filename)
            if member.file_size > limit:
                raise self.refuse(
                    f"holds {_mb(member.file_size)} of {what} ({member.filename}), more than the "
                    f"{_mb(limit)} {self.limits.what} may hold; it was not opened.")
            total += member.file_size
            if total > total_limit:
                raise self.refuse(f"unpacks to more than {_mb(total_limit)}, more than "
                                  f"{self.limits.what} may; it was not opened.")
            if (member.file_size > RATIO_CHECK_FROM
                    and member.file_size > MAX_RATIO * max(member.compress_size, 1)):
                raise self.refuse(
                    f"looks like a zip bomb: {member.filename} unpacks "
                    f"{member.file_size // max(member.compress_size, 1):,} times larger than it "
                    "is stored; it was not opened.")

    def limit_of(self, part: str) -> tuple[int, str]:
        lower = part.lower()
        if lower == "xl/sharedstrings.xml":
            return self.limits.shared_strings_bytes, "text (shared strings)"
        if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
            return self.limits.sheet_bytes, "sheet data"
        return self.limits.part_bytes, "data"

    def read_small(self, part: str) -> bytes:
        try:
            return self.archive.read(part)
        except Exception as exc:  # as in chunks
            raise self.unpack_failed(part) from exc

    def chunks(self, member: zipfile.ZipInfo):
        try:
            with self.archive.open(member) as handle:
                while True:
                    if self.cancelled is not None and self.cancelled():
                        raise Cancelled()
                    block = handle.read(1 << 18)
                    if not block:
                        return
                    yield block
        except Cancelled:
            raise
        except Exception as exc:  # zipfile raises many kinds on damaged bytes
            raise self.unpack_failed(member.filename) from exc

    def blocks_of(self, data: bytes):
        """An unpacked part's bytes in the blocks `chunks` gives, as cancellable."""
        for start in range(0, len(data), 1 << 18):
            if self.cancelled is not None and self.cancelled():
                raise Cancelled()
            yield data[start:start + (1 << 18)]

    def unpack_failed(self, part: str) -> WorkbookRefused:
        return self.refuse(f"is damaged: its part {part} cannot be unpacked (the file is cut "
                           "short or its bytes have changed), so it cannot be read; ask the "
                           "partner to save it again and resend it.")

    def scan_for_dtd(self, member: zipfile.ZipInfo) -> None:
        tail = b""
        for block in self.chunks(member):
            if _DTD.search(tail + block):
                raise self.entities(member.filename)
            tail = block[-16:]

    def entities(self, part: str) -> WorkbookRefused:
        kind = "an Excel workbook" if self.app == "Excel" else f"a {self.app} document"
        return self.refuse(f"declares XML entities ({part}), which {kind} never does: it may be "
                           "an entity-expansion attack, and it was not opened.")

    def parse(self, member: zipfile.ZipInfo) -> None:
        part = member.filename
        sheet = self.sheet_parts.get(part)
        is_sheet = part.lower().startswith("xl/worksheets/")
        blocks = self.chunks(member)
        if is_sheet and member.file_size <= QUICK_SHEET_BYTES:
            data = b"".join(blocks)
            facts = quick_facts(data)
            if facts is not None:
                self.has_formulas = self.has_formulas or facts.formulas
                self.extents[sheet or part] = Extent(facts.dimension, facts.rows, facts.columns)
                return
            blocks = self.blocks_of(data)
        reader = _PartReader(self, part, sheet if is_sheet else None, is_sheet)
        try:
            try:
                tail = b""
                for block in blocks:
                    if not self.declares_entities:
                        seen = tail + block[:16] if tail else b""
                        self.declares_entities = any(
                            mark in block or mark in seen for mark in _DECLARATIONS)
                        tail = block[-16:]
                    reader.parser.Parse(block, False)
                reader.parser.Parse(b"", True)
            finally:
                reader.sync()
        except _Entities:
            raise self.entities(part) from None
        except expat.ExpatError as exc:
            raise self.refuse(reader.broken(exc)) from None
        except (LookupError, ValueError):  # pyexpat asked Python for an encoding it lacks
            raise self.refuse(reader.broken_message(_UNKNOWN_ENCODING)) from None
        except _TooDeep:
            raise self.refuse(reader.broken_message("is nested too deeply")) from None
        if reader.root is None:
            raise self.refuse(reader.broken_message("is empty"))
        if part == "xl/workbook.xml":
            if reader.root_ns == _STRICT_NS:
                raise self.refuse(f"was saved as a Strict Open XML Spreadsheet; {_SAVE_AS}, then "
                                  "import that file.")
            named: dict[str, str] = {}  # casefolded -> as first written
            for name in reader.sheets.values():
                first = named.get(name.casefold())
                if first is not None:  # readers would disagree on which of them is meant
                    raise self.refuse(f"is damaged: it has two sheets named '{first[:40]}', which "
                                      f"a spreadsheet does not allow; ask the partner to open it "
                                      f"in {self.app}, save it again and resend it.")
                named[name.casefold()] = name
            self.workbook_sheets = reader.sheets
        elif part == "xl/_rels/workbook.xml.rels":
            for rel_id, sheet_name in getattr(self, "workbook_sheets", {}).items():
                target = reader.targets.get(rel_id)
                if target:
                    self.sheet_parts[_resolve("xl/workbook.xml", target)] = sheet_name
        if is_sheet:
            self.has_formulas = self.has_formulas or reader.formulas
            self.extents[sheet or part] = Extent(reader.dimension, reader.max_row,
                                                 reader.max_column)


class _Entities(Exception):
    pass


class _TooDeep(Exception):
    pass


# The elements of a worksheet the gate looks at, by local name.
_CELL_ELEMENT, _ROW_ELEMENT, _FORMULA_ELEMENT, _DIMENSION_ELEMENT = 1, 2, 3, 4
_KINDS = {"c": _CELL_ELEMENT, "row": _ROW_ELEMENT, "f": _FORMULA_ELEMENT,
          "dimension": _DIMENSION_ELEMENT}


class _PartReader:
    """One expat pass over one XML part: no DTD, well-formed, and for a worksheet where the
    parser is (row and cell), whether it holds formulas, and how far its cells reach."""

    def __init__(self, gate: _Gate, part: str, sheet: str | None, is_sheet: bool):
        self.gate, self.part, self.sheet, self.is_sheet = gate, part, sheet, is_sheet
        self.root: str | None = None
        self.root_ns: str | None = None
        self.depth = 0
        self.row, self.column = 0, 0
        self.cell_at: tuple[int, int] | None = None  # (row, column) of the cell being read
        self.max_row = self.max_column = 0
        self._locals: dict[str, str] = {}  # element name -> its local name
        self._columns: dict[str, int] = {}  # column letters -> number
        self.formulas = False
        self.dimension: str | None = None
        self.sheets: dict[str, str] = {}    # relationship id -> sheet name (workbook.xml)
        self.targets: dict[str, str] = {}   # relationship id -> target (the rels part)
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self.refuse_dtd
        parser.EntityDeclHandler = self.refuse_dtd
        parser.ExternalEntityRefHandler = self.refuse_dtd
        # A sheet has an element or two per cell (200,000 in a 5,000-row return): its handler
        # is kept to a few steps; other parts but the two that name the sheets only nest.
        self.sync = lambda: None  # a worksheet's handlers keep their state apart until synced
        if is_sheet:
            parser.StartElementHandler, parser.EndElementHandler, self.sync = \
                self._sheet_handlers()
        elif part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            parser.StartElementHandler = self.start
            parser.EndElementHandler = self.end
        else:
            parser.StartElementHandler = self.plain_start
            parser.EndElementHandler = self.end
        parser.buffer_text = False
        self.parser = parser

    def refuse_dtd(self, *_args) -> None:
        raise _Entities()

    def _local(self, name: str) -> str:
        """The element's local name (the first element's is the root's)."""
        ns, _, local = name.rpartition(" ")
        if self.root is None:
            self.root, self.root_ns = local, ns
        self._locals[name] = local
        return local

    def plain_start(self, name: str, _attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep()
        if self.root is None:
            self._local(name)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep()
        local = self._locals.get(name) or self._local(name)
        if local == "sheet" and self.part == "xl/workbook.xml":
            rel = next((v for k, v in attrs.items() if k.rpartition(" ")[0] in _REL_NS
                        and k.endswith(" id")), None)
            if rel and "name" in attrs:
                self.sheets[rel] = attrs["name"]
        elif (local == "Relationship" and "Id" in attrs and "Target" in attrs
              and attrs.get("TargetMode", "").lower() != "external"):
            self.targets[attrs["Id"]] = attrs["Target"]

    def _sheet_handlers(self):
        """The start and end handlers of a worksheet, and `sync`, which puts their state on
        the reader. They run for each of a sheet's elements (some 200,000 in a 5,000-row
        return), so they keep that state in local variables and do nothing more for an
        element that is not a row, a cell, a formula or the sheet's dimension."""
        kinds: dict[str, int] = {}  # element name -> what it is (_KINDS), 0 for anything else
        columns: dict[str, int] = {}  # column letters -> number
        match_cell = _CELL.match
        depth = row = column = max_row = max_column = 0
        cell_row = 0  # the row of the cell being read; 0 while none is

        def sync() -> None:
            self.depth, self.row, self.column = depth, row, column
            self.cell_at = (cell_row, column) if cell_row else None
            self.max_row, self.max_column = max_row, max_column

        def refuse(what: str) -> WorkbookRefused:
            sync()
            return self.gate.refuse(self.broken_message(what))

        def beyond(at_row: int, at_column: int) -> WorkbookRefused:
            return refuse(f"reaches beyond the last row or column a spreadsheet can hold (row "
                          f"{at_row:,}, column {at_column:,})")

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal depth, row, column, cell_row, max_row, max_column
            depth += 1
            if depth > MAX_DEPTH:
                sync()
                raise _TooDeep()
            kind = kinds.get(name)
            if kind is None:
                kind = kinds[name] = _KINDS.get(self._locals.get(name) or self._local(name), 0)
            if not kind:
                return
            if kind == _CELL_ELEMENT:
                ref = attrs.get("r")
                if ref is None:  # r is optional: the cell follows the one before it
                    at_column, at_row = column + 1, row or 1
                else:
                    match = match_cell(ref)
                    if match is None:
                        raise refuse(f"names a cell '{ref[:20]}', which no spreadsheet writes")
                    letters, at_row = match.group(1), int(match.group(2))
                    at_column = columns.get(letters)
                    if at_column is None:
                        at_column = columns[letters] = column_number(letters)
                column, cell_row = at_column, at_row
                if at_row > max_row:
                    if at_row > GRID_ROWS:
                        raise beyond(at_row, at_column)
                    max_row = at_row
                if at_column > max_column:
                    if at_column > GRID_COLUMNS:
                        raise beyond(at_row, at_column)
                    max_column = at_column
            elif kind == _ROW_ELEMENT:
                number = attrs.get("r")
                if number is None:  # r is optional: the row follows the one before it
                    row += 1
                elif number.isascii() and number.isdigit() and int(number) > 0:
                    row = int(number)
                else:
                    raise refuse(f"numbers a row '{number[:20]}', which no spreadsheet writes")
                column = cell_row = 0
                if row > max_row:
                    if row > GRID_ROWS:
                        raise beyond(row, 0)
                    max_row = row
            elif kind == _FORMULA_ELEMENT:
                self.formulas = True
            else:
                self.dimension = attrs.get("ref")

        def end(_name: str) -> None:
            nonlocal depth
            depth -= 1

        return start, end, sync

    def end(self, _name: str) -> None:
        self.depth -= 1

    def where(self) -> str:
        if self.is_sheet:
            if self.sheet is None:
                sheet = f"a sheet ({self.part})"
            else:
                sheet = f"the {'hidden ' if self.sheet.startswith('_') else ''}{self.sheet} sheet"
            if self.cell_at:
                row, column = self.cell_at
                return f"{sheet} near cell {column_letter(column) or 'A'}{row}"
            if self.row:
                return f"{sheet} near row {self.row:,}"
            return sheet
        return f"its part {self.part}"

    def broken(self, exc: expat.ExpatError) -> str:
        what = _EXPAT_WORDS.get(exc.code)
        if what is None:
            reason = expat.ErrorString(exc.code) if exc.code else "an XML error"
            what = f"is not well-formed XML ({reason})"
        return self.broken_message(what)

    def broken_message(self, what: str) -> str:
        return (f"is damaged: {self.where()} {what}, so it cannot be read; ask the partner to "
                f"open it in {self.gate.app}, save it again and resend it.")


_CODES = expat.errors.codes
_UNKNOWN_ENCODING = "is in a character encoding a workbook does not use"
_EXPAT_WORDS = {
    _CODES[expat.errors.XML_ERROR_INVALID_TOKEN]:
        "holds a character XML does not allow (a control character, or a broken tag)",
    _CODES[expat.errors.XML_ERROR_TAG_MISMATCH]: "has a mismatched tag",
    _CODES[expat.errors.XML_ERROR_UNCLOSED_TOKEN]: "ends in the middle of a tag",
    _CODES[expat.errors.XML_ERROR_NO_ELEMENTS]: "is empty or cut short",
    _CODES[expat.errors.XML_ERROR_BAD_CHAR_REF]:
        "refers to a character XML does not allow (such as &#1;)",
    _CODES[expat.errors.XML_ERROR_UNDEFINED_ENTITY]:
        "uses an entity that is not defined",
    _CODES[expat.errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT]:
        "has something after its end",
    _CODES[expat.errors.XML_ERROR_UNKNOWN_ENCODING]: _UNKNOWN_ENCODING,
    _CODES[expat.errors.XML_ERROR_INCORRECT_ENCODING]:
        "holds bytes that are not in its character encoding",
    _CODES[expat.errors.XML_ERROR_DUPLICATE_ATTRIBUTE]:
        "gives one attribute twice",
    _CODES[expat.errors.XML_ERROR_SYNTAX]: "is not well-formed XML",
}


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def check_xml_parts(name: str, data: bytes, app: str = "Word",
                    cancelled: IsCancelled | None = None) -> None:
    """Every XML part of another Office file (a .docx) through the same expat pass as a
    workbook's: no DTD wherever it is, well-formed, not nested too deeply. The caller has
    checked the zip directory; WorkbookRefused names the part, Cancelled when asked."""
    gate = _Gate(name, data, RETURN_LIMITS, cancelled)
    gate.app = app
    try:
        gate.archive = zipfile.ZipFile(io.BytesIO(data))
        members = gate.archive.infolist()
    except Exception as exc:  # as in _Gate.run
        raise gate.refuse("is damaged: its list of parts cannot be read.") from exc
    for member in members:
        if member.filename.lower().endswith(_XML_PARTS):
            gate.parse(member)


# Flat limits for checks of other Office files (the Word outline reader's directory check).
MAX_FILE_BYTES = RETURN_LIMITS.file_bytes
MAX_MEMBERS = RETURN_LIMITS.members
MAX_MEMBER_BYTES = RETURN_LIMITS.sheet_bytes
MAX_TOTAL_BYTES = RETURN_LIMITS.total_bytes


def check_unchanged(snapshot: Snapshot) -> None:
    """Refuse when the file on disk is no longer the one that was read."""
    try:
        now = sha256_of(snapshot.path)
    except OSError as exc:
        raise WorkbookRefused(f"{snapshot.name} disappeared while it was being read ({exc}).") from exc
    if now != snapshot.sha256:
        raise WorkbookRefused(f"{snapshot.name} changed while it was being read; wait until it "
                              "has finished saving or copying, then try again. Nothing was written.")

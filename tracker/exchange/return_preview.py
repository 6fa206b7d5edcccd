"""What a returned workbook would change: identified, validated cell by cell, nothing written.

`build_preview` checks the workbook belongs to this database, partner and round, and that its
hidden identifiers are as sealed at export; then turns each row into proposed changes (new
evidence, status changes, new or changed values), conflicts (the item changed in the tracker
since the export) and problems, each at its sheet and cell.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tracker.domain.status import Status
from tracker.domain.text import first_unsafe
from tracker.domain.wording import moment
from tracker.exchange import layout
from tracker.exchange.cells import (
    CellValueError,
    clean_text,
    is_blank,
    parse_date,
    parse_number,
    parse_status,
)
from tracker.exchange.errors import WorkbookRefused
from tracker.exchange.return_read import (
    IsCancelled,
    Problem,
    Progress,
    RawReturn,
    RawRow,
    read_return_file,
)
from tracker.store import activity, commitments, returns
from tracker.store import indicators as indicator_store
from tracker.store.database import Store
from tracker.store.errors import ValidationError
from tracker.store.evidence import EvidenceInput
from tracker.store.indicators import ValueInput

STATUS, EVIDENCE, VALUE = "status", "evidence", "value"
KIND_LABELS = {STATUS: "Status change", EVIDENCE: "New evidence", VALUE: "Indicator value"}


@dataclass(slots=True)  # a return's preview holds 9,000: one object each, not two
class Change:
    """One proposed change; the officer may accept or reject it."""

    number: int
    kind: str
    ref: str
    sheet: str
    cell: str
    item: str  # what it is about, in words
    before: str
    after: str
    payload: returns.NewEvidence | returns.NewStatus | returns.NewValue
    conflict: str | None = None
    accepted: bool = True
    reason: str | None = None  # a status change: the partner's Progress update, its reason
    text: str | None = None  # evidence: the whole statement (`after` may be cut short)
    evidence_date: str | None = None  # evidence: the day it gave (ISO), if any
    figure: float | None = None  # evidence: the figure it gave, if any
    note: str | None = None  # an indicator value: the partner's note
    since: tuple[str, ...] = ()  # a conflict: what changed in the tracker since, and by whom

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def cut_short(self) -> bool:
        """Whether `after` shows only the start of the evidence text."""
        return self.text is not None and not self.after.startswith(self.text)

    def details(self) -> list[tuple[str, str]]:
        """Everything the officer approves with this change, as (label, text) pairs."""
        found = [("Item", self.item), ("Cell", f"{self.sheet}!{self.cell} ({self.ref})")]
        if self.kind == STATUS:
            found.append(("Status", f"{self.before} → {self.after}"))
            found.append(("Reason", self.reason if self.reason is not None else
                          "(no progress update given; the history will say the partner "
                          "reported it)"))
        elif self.kind == EVIDENCE:
            found.append(("Evidence", self.text or self.after))
            if self.evidence_date:
                found.append(("Date", self.evidence_date))
            if self.figure is not None:
                found.append(("Figure", f"{self.figure:,.10g}"))
        else:
            found.append(("Value", f"{self.before or '(none)'} → {self.after}"))
            if self.note:
                found.append(("Note", self.note))
        if self.conflict:
            found.append(("Conflict", self.conflict))
            found.extend(("Since the export", line) for line in self.since)
        return found


@dataclass
class ReturnPreview:
    file_name: str
    path: Path
    sha256: str
    partner_id: int
    partner_name: str
    round: str
    export_uid: str
    exported_at: str
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    duplicate_of: returns.ReturnRecord | None = None  # this very file was imported already
    blocked: str | None = None  # why it cannot be imported now (another file came back first)

    @property
    def has_errors(self) -> bool:
        return bool(self.problems)

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.conflict]

    def counts(self) -> dict[str, int]:
        return {
            "evidence": sum(c.kind == EVIDENCE for c in self.changes),
            "statuses": sum(c.kind == STATUS for c in self.changes),
            "values": sum(c.kind == VALUE for c in self.changes),
            "conflicts": len(self.conflicts),
            "problems": len(self.problems),
        }


def preview_return(store: Store, path: str | Path, *, expected_partner_id: int | None = None,
                   expected_round: str | None = None, progress: Progress | None = None,
                   cancelled: IsCancelled | None = None) -> ReturnPreview:
    """Read and check a returned workbook and say what it would change. Writes nothing."""
    raw = read_return_file(path, progress, cancelled)
    return build_preview(store, raw, expected_partner_id=expected_partner_id,
                         expected_round=expected_round)


def build_preview(store: Store, raw: RawReturn, *, expected_partner_id: int | None = None,
                  expected_round: str | None = None) -> ReturnPreview:
    name = raw.snapshot.name
    meta = raw.meta
    try:
        version = int(meta.get("format_version", "0"))
    except ValueError:
        version = -1
    if version < 1:
        raise WorkbookRefused(f"{name}: the identifiers sheet is damaged (format version "
                              f"'{meta.get('format_version')}').")
    if version > layout.FORMAT_VERSION:
        raise WorkbookRefused(f"{name} was made by a newer version of Commitment Tracker "
                              f"(format {version}); install the newer version to import it.")
    ours = returns.database_uid(store, create=False)
    if not ours or meta.get("database_uid") != ours:
        raise WorkbookRefused(f"{name} was exported from another Commitment Tracker database, "
                              "not this one; import it into the database it came from.")
    key = returns.signing_key(store, create=False)
    expected_seal = returns.seal(key, layout.seal_payload(meta, raw.refs)) if key else ""
    if not hmac.compare_digest(expected_seal, meta.get("seal", "")):
        raise WorkbookRefused(f"{name}: the hidden identifiers have been edited since the export, "
                              "so the answers cannot be matched safely. Export the workbook again.")
    partner = returns.partner_by_uid(store, meta.get("partner_uid", ""))
    sent = returns.find_export(store, meta.get("export_uid", ""))
    if partner is None or sent is None:
        raise WorkbookRefused(f"{name}: this database has no record of sending it (partner or "
                              "export deleted?). Export the workbook again.")
    if sent.partner_id != partner.id or sent.round != meta.get("round"):
        raise WorkbookRefused(f"{name}: its identifiers do not match the export record; "
                              "it cannot be imported.")
    if expected_partner_id is not None and expected_partner_id != partner.id:
        raise WorkbookRefused(f"{name} is {partner.name}'s workbook, not the partner you chose; "
                              "nothing was imported.")
    if expected_round is not None and expected_round != sent.round:
        raise WorkbookRefused(f"{name} is for the {sent.round} round, not {expected_round}; "
                              "nothing was imported.")
    preview = ReturnPreview(name, raw.snapshot.path, raw.snapshot.sha256, partner.id,
                            partner.name, sent.round, sent.uid, sent.exported_at or "",
                            rows_read=raw.rows_read)
    same_file = returns.applied_import_by_sha(store, raw.snapshot.sha256)
    if same_file is not None:
        preview.duplicate_of = same_file
        return preview
    earlier = returns.applied_import_of(store, sent.uid)
    if earlier is not None:
        preview.blocked = (
            f"{partner.name}'s {sent.round} workbook was already imported on "
            f"{earlier.imported_at[:10]} from {earlier.file_name} (return {earlier.id}). "
            f"Revert that return first to import this file instead.")
    preview.problems.extend(raw.problems)
    _Builder(store, raw, preview).run()
    return preview


class _Builder:
    def __init__(self, store: Store, raw: RawReturn, preview: ReturnPreview):
        self.store, self.raw, self.preview = store, raw, preview
        self.refs = {r[0]: r for r in raw.refs}
        self.commitments = {c.uid: c for c in returns.partner_commitments(
            store, preview.partner_id, latest_evidence=False)}
        self.indicator_rows = {(r.uid, r.period): r for r in
                               returns.partner_indicator_rows(store, preview.partner_id,
                                                              preview.round)}
        self.indicators: dict[int, object] = {}
        self.bad_cells = {(p.sheet, p.cell) for p in preview.problems}
        # (by the identity of the column lists: hashing one hashes every column)
        self.answer_keys = {id(columns): [c.key for c in columns if c.answer]
                            for columns in (layout.COMMITMENT_COLUMNS, layout.INDICATOR_COLUMNS)}
        today = date.today()
        self.parse_date = lambda value: parse_date(value, today)

    def problem(self, sheet: str, cell: str, message: str, ref: str | None = None) -> None:
        self.preview.problems.append(Problem(sheet, cell, message, ref))

    def add(self, **kwargs) -> None:
        change = Change(len(self.preview.changes) + 1, **kwargs)
        change.accepted = change.conflict is None
        self.preview.changes.append(change)

    def run(self) -> None:
        seen: dict[str, int] = {}
        for sheet, handler, kind in ((self.raw.commitments, self.commitment_row, "commitment"),
                                     (self.raw.indicators, self.indicator_row, "indicator")):
            for row in sheet.rows:
                ref = self.check_ref(sheet.name, row, kind, seen)
                if ref is None:
                    continue
                before = len(self.preview.problems)
                changes = len(self.preview.changes)
                handler(sheet.name, row, ref)
                if len(self.preview.problems) > before or (self.bad_cells and any(
                        (sheet.name, row.coordinate(key)) in self.bad_cells
                        for key in row.values)):
                    del self.preview.changes[changes:]  # a row with a problem is not applied

    def answers_blank(self, row: RawRow, columns: tuple[layout.Column, ...]) -> bool:
        values = row.values
        keys = self.answer_keys[id(columns)]
        if not all(is_blank(values[key]) for key in keys):
            return False
        bad = self.bad_cells
        return not bad or not any(
            (self.raw.commitments.name, row.coordinate(key)) in bad
            or (self.raw.indicators.name, row.coordinate(key)) in bad for key in keys)

    def check_ref(self, sheet: str, row: RawRow, kind: str, seen: dict[str, int]) -> list | None:
        columns = layout.COMMITMENT_COLUMNS if kind == "commitment" else layout.INDICATOR_COLUMNS
        cell = row.cell("ref")
        ref = clean_text(cell.value)
        if self.answers_blank(row, columns):
            return None
        if not ref:
            self.problem(sheet, cell.coordinate, "This row has answers but no Ref; answers can "
                         "only be matched to the plan through the Ref column.")
            return None
        entry = self.refs.get(ref)
        if entry is None or entry[1] != kind:
            self.problem(sheet, cell.coordinate, f"Ref '{ref}' is not one this workbook was sent "
                         "with; keep the Ref column as it was sent.", ref)
            return None
        if ref in seen:
            self.problem(sheet, cell.coordinate, f"Ref {ref} appears twice (rows {seen[ref]} and "
                         f"{row.number}); put all answers for one item on one row.", ref)
            return None
        seen[ref] = row.number
        return entry

    # --- commitments --------------------------------------------------------------------------

    def commitment_row(self, sheet: str, row: RawRow, entry: list) -> None:
        ref, _, uid, _, exported = entry
        at = row.coordinate
        item = self.commitments.get(uid)
        if item is None:
            self.problem(sheet, at("ref"), f"{ref}: this commitment is no longer "
                         f"assigned to {self.preview.partner_name}, or its plan has been closed.",
                         ref)
            return
        if not self.texts_safe(sheet, row, ("update", "evidence")):
            return
        status = self.parse(sheet, row, "new_status", parse_status)
        date = self.parse(sheet, row, "evidence_date", self.parse_date)
        figure = self.parse(sheet, row, "figure", parse_number)
        update = clean_text(row.value("update"))
        text = clean_text(row.value("evidence"))
        for key, value in (("update", update), ("evidence", text)):
            if len(value) > layout.MAX_TEXT:
                self.problem(sheet, at(key), f"This text is longer than "
                             f"{layout.MAX_TEXT:,} characters; shorten it.", ref)
        if not text and (date is not None or figure is not None):
            where = at("evidence_date" if date is not None else "figure")
            self.problem(sheet, where, "A date or figure needs evidence text in the Evidence "
                         "column of the same row.", ref)
        label = f"{item.code or ''} {item.text}".strip()
        label = label if len(label) <= 90 else label[:89] + "…"
        round_label = self.preview.round
        if status is not None and status is not item.status:
            exported_status = Status(exported.split("|", 1)[0])
            conflict = None
            if item.fingerprint != exported:
                conflict = (f"Changed in the tracker since the export: the status was "
                            f"{exported_status.label} when sent and is now {item.status.label}.")
            reason = update or f"Reported by {self.preview.partner_name} in the {round_label} return."
            self.add(kind=STATUS, ref=ref, sheet=sheet, cell=at("new_status"),
                     item=label, before=item.status.label, after=status.label,
                     payload=returns.NewStatus(item.id, status, reason, item.fingerprint),
                     conflict=conflict, reason=update or None,
                     since=self.status_changes_since(item.id) if conflict else ())
        elif update:
            self.evidence(sheet, ref, at("update"), label, item.id, update, None, None)
        if text:
            self.evidence(sheet, ref, at("evidence"), label, item.id, text, date,
                          figure)

    def evidence(self, sheet: str, ref: str, where: str, label: str, commitment_id: int,
                 text: str, date, figure) -> None:
        try:
            entry = EvidenceInput(text, date, self.preview.round, self.preview.partner_id,
                                  figure).validated()
        except ValidationError as exc:
            self.problem(sheet, where, str(exc), ref)
            return
        after = text if len(text) <= 200 else text[:199] + "…"
        day = f"{date.day:02d}/{date.month:02d}/{date.year:04d}" if date else None  # %d/%m/%Y
        if day:
            after += f" ({day})"
        if figure is not None:
            after += f" [figure {figure:,.10g}]"
        self.add(kind=EVIDENCE, ref=ref, sheet=sheet, cell=where, item=label, before="",
                 after=after, payload=returns.NewEvidence(commitment_id, entry), text=text,
                 evidence_date=day, figure=figure)

    # --- indicators ---------------------------------------------------------------------------

    def indicator_row(self, sheet: str, row: RawRow, entry: list) -> None:
        ref, _, uid, period, exported = entry
        item = self.indicator_rows.get((uid, period))
        if item is None:
            self.problem(sheet, row.coordinate("ref"), f"{ref}: this indicator is no longer "
                         f"assigned to {self.preview.partner_name}, or its plan has been closed.",
                         ref)
            return
        if not self.texts_safe(sheet, row, ("note",)):
            return
        note = clean_text(row.value("note"))
        value_cell = row.cell("new_value")
        number = self.parse(sheet, row, "new_value", lambda v: parse_number(
            v, value_cell.number_format, percent=item.unit == "percent"))
        if number is None:
            if note and (sheet, value_cell.coordinate) not in self.bad_cells:
                self.problem(sheet, row.coordinate("note"), "A note needs a value in the New "
                             "value column of the same row.", ref)
            return
        if not self.indicators:  # every indicator of the return, in one query
            self.indicators = indicator_store.get_indicators(
                self.store, sorted({r.indicator_id for r in self.indicator_rows.values()}))
        indicator = self.indicators.get(item.indicator_id)
        if indicator is None:
            indicator = indicator_store.get_indicator(self.store, item.indicator_id)
            self.indicators[item.indicator_id] = indicator
        value = ValueInput(period, number, note=note or None,
                           source=f"{self.preview.partner_name}, {self.preview.round} return")
        try:
            indicator_store.validate_value(indicator, value)
        except ValidationError as exc:
            self.problem(sheet, value_cell.coordinate, str(exc), ref)
            return
        if item.current_value is not None and item.current_value == number and not note:
            return
        conflict = None
        if item.fingerprint != exported:
            conflict = "Changed in the tracker since the export: this period's value was " + (
                "added" if exported == "none" else "edited") + " after the workbook was sent."
        before = "" if item.current_value is None else f"{item.current_value:,.10g}"
        self.add(kind=VALUE, ref=ref, sheet=sheet, cell=value_cell.coordinate,
                 item=f"{item.name} ({period})", before=before, after=f"{number:,.10g}",
                 payload=returns.NewValue(item.indicator_id, value, item.fingerprint),
                 conflict=conflict, note=note or None,
                 since=self.value_changes_since(item.indicator_id, period) if conflict else ())

    # --- what the tracker did since the export ---------------------------------------------

    def status_changes_since(self, commitment_id: int) -> tuple[str, ...]:
        """Each status change made in the tracker after the workbook was sent: when, by whom,
        from and to, and why."""
        sent = self.preview.exported_at
        found = []
        for change in reversed(commitments.status_history(self.store, commitment_id)):
            if change.changed_at <= sent:
                continue
            source = f" (from {change.source})" if change.source else ""
            before = change.from_status.label if change.from_status else "none"
            found.append(f"{moment(change.changed_at)}, {change.changed_by}{source}: {before} → "
                         f"{change.to_status.label}. {change.reason}")
        return tuple(found)

    def value_changes_since(self, indicator_id: int, period: str) -> tuple[str, ...]:
        """Who last changed this period's value after the workbook was sent, from the
        activity log (or, for a change older than the log, only when)."""
        found = self.store.execute(
            "SELECT uid, updated_at FROM indicator_value WHERE indicator_id = ? AND series = "
            "'actual' AND period = ?", (indicator_id, period)).fetchone()
        if found is None:
            return ("The value was deleted in the tracker since the export.",)
        touched = activity.last_touch(self.store, "indicator_value", found[0],
                                      self.preview.exported_at)
        if touched is not None:
            return (f"{moment(touched.at)}, {touched.who}: {touched.summary}",)
        return (f"{moment(found[1])}: the value was changed (before the activity log began, "
                "so by whom is not recorded).",)

    def texts_safe(self, sheet: str, row: RawRow, keys: tuple[str, ...]) -> bool:
        """Free text holding a character the tracker cannot keep is a problem at its cell.
        Checked on the cell as read: tidying spaces would turn some of them into spaces."""
        safe = True
        for key in keys:
            value = row.value(key)
            found = first_unsafe(value) if isinstance(value, str) else None
            if found is not None:
                at, char = found
                self.problem(sheet, row.coordinate(key), f"This cell holds {char} at "
                             f"character {at:,}, which cannot be shown or printed; delete it.",
                             clean_text(row.value("ref")) or None)
                safe = False
        return safe

    def parse(self, sheet: str, row: RawRow, key: str, parser):
        if self.bad_cells and (sheet, row.coordinate(key)) in self.bad_cells:
            return None
        try:
            return parser(row.values[key])
        except CellValueError as exc:
            ref = clean_text(row.value("ref")) or None
            self.problem(sheet, row.coordinate(key), str(exc), ref)
            return None

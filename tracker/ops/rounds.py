"""Operations on reporting rounds: sending a round (workbooks and e-mail drafts), reminding the
overdue partners, changing a round's due date, closing and reopening it, and the office's
wording of the drafts. Drafts are files for the officer's own mail program: nothing is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tracker.domain.wording import count_of, long_date
from tracker.exchange.email_draft import (
    REMIND_TEMPLATE,
    SEND_TEMPLATE,
    DraftRequest,
    WrittenDraft,
    check_template,
    write_drafts,
)
from tracker.exchange.return_export import ExportedWorkbook, canonical_round, export_partner, export_round
from tracker.exchange.safety import sha256_of
from tracker.ops.core import operation
from tracker.ops.result import OpResult
from tracker.store import contacts, email_templates, rounds, user_settings
from tracker.store.database import Store
from tracker.store.rounds import Round, RoundSummary

__all__ = ["Reminders", "SentRound", "close_round", "email_template", "remind", "reopen_round",
           "round_summary", "send_round", "set_email_template", "set_round_due"]


def email_template(store: Store, kind: str) -> str:
    """The wording drafts of this kind ("send" or "remind") use: the office's, else the
    tracker's own."""
    own = email_templates.saved_template(store, kind)
    return own if own is not None else (SEND_TEMPLATE if kind == "send" else REMIND_TEMPLATE)


def set_email_template(store: Store, kind: str, text: str | None) -> OpResult:
    """The office's wording of drafts of this kind; None (or the tracker's own wording) goes
    back to the default. A template that cannot be used is refused (TemplateError)."""
    default = SEND_TEMPLATE if kind == "send" else REMIND_TEMPLATE
    if text is not None and text.replace("\r\n", "\n").strip() == default.strip():
        text = None
    if text is not None:
        check_template(text)
        text = text.replace("\r\n", "\n").strip() + "\n"
    with operation(store, "set_email_template") as op:
        email_templates.save_template(store, kind, text)
        word = "sending a round" if kind == "send" else "reminders"
        op.summary = (f"Went back to the tracker's wording for {word}" if text is None
                      else f"Changed the wording of the e-mail drafts for {word}")
    return op.result


def round_summary(store: Store, label: str, today: date | None = None) -> RoundSummary:
    return rounds.summary(store, label, today)


@dataclass(frozen=True)
class SentRound:
    round: Round
    workbooks: list[ExportedWorkbook]
    drafts: list[WrittenDraft]

    @property
    def warnings(self) -> list[str]:
        return [w for d in self.drafts for w in d.warnings]


def _requests(store: Store, label: str, items: list[tuple[int, str, Path, int, int]],
              due: date, sent: dict[int, date] | None = None) -> list[DraftRequest]:
    by_partner = contacts.contacts_by_partner(store)
    return [DraftRequest(name, tuple(by_partner.get(pid, [])), path, label, due, c, i,
                         (sent or {}).get(pid))
            for pid, name, path, c, i in items]


def send_round(store: Store, round_label: str, out_dir: str | Path, *,
               partner: str | None = None, due_date: date | None = None,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None,
               today: date | None = None) -> OpResult:
    """Each partner's workbook for the round and an e-mail draft beside it, addressed to the
    partner's contacts with the workbook attached; all recorded as sent in one transaction.
    `value` is the SentRound. Refused for a closed round."""
    label = canonical_round(round_label)
    rounds.ensure_open(store, label)
    template = email_template(store, "send")
    check_template(template)
    out = Path(out_dir)
    with operation(store, "send_round") as op:
        written = export_round(store, label, out, partner=partner, due_date=due_date,
                               progress=progress, cancelled=cancelled)
        the_round = rounds.get_round(store, label)
        if due_date is not None and the_round.due_date != due_date.isoformat():
            the_round = rounds.set_due_date(store, the_round.id, due_date.isoformat())
        due = date.fromisoformat(the_round.due_date) if the_round.due_date else \
            rounds.default_due(store, label)
        items = [(w.record.partner_id, w.partner_name, w.path, w.commitments, w.indicator_rows)
                 for w in written]
        try:
            drafts = write_drafts(_requests(store, label, items, due), template, store.officer,
                                  out, sender=user_settings.officer_email(), today=today)
        except BaseException:
            for w in written:
                w.path.unlink(missing_ok=True)
            for w in written:
                (out / f"{w.path.stem}.eml").unlink(missing_ok=True)
            raise
        op.value = SentRound(the_round, written, drafts)
        names = ", ".join(w.partner_name for w in written[:3])
        more = f" and {len(written) - 3} more" if len(written) > 3 else ""
        op.summary = (f"Sent round {label}: {count_of(len(written), 'workbook')} with e-mail "
                      f"drafts" + (f" to {names}{more}" if written else ""))
    return op.result


@dataclass(frozen=True)
class Reminders:
    round: Round
    drafts: list[WrittenDraft]
    sent_again: list[str] = field(default_factory=list)  # partners whose workbook was written anew

    @property
    def warnings(self) -> list[str]:
        return [w for d in self.drafts for w in d.warnings]


def remind(store: Store, round_label: str, out_dir: str | Path, *,
           today: date | None = None) -> OpResult:
    """A reminder draft for every partner whose workbook is overdue, with that workbook
    attached again (the file sent, if it is still where it was written and unchanged; else a
    fresh workbook of the round, recorded as sent). Each reminder is recorded on the return.
    `value` is the Reminders; nothing is written when no partner is overdue."""
    label = canonical_round(round_label)
    the_round = rounds.get_round(store, label)
    rounds.ensure_open(store, label)
    template = email_template(store, "remind")
    check_template(template)
    overdue = rounds.summary(store, label, today).in_state("overdue")
    out = Path(out_dir)
    if not overdue:
        return OpResult(None, "remind", f"No partner is overdue in round {label}.", (),
                        Reminders(the_round, []))
    with operation(store, "remind") as op:
        items, marked, again, made = [], [], [], []
        sent_on: dict[int, date] = {}
        try:
            for p in overdue:
                sent = rounds.last_sent(store, the_round.id, p.partner_id)
                path = Path(sent.path) if sent and sent.path else None
                if path is None or not path.is_file() or sha256_of(path) != sent.sha256:
                    fresh = export_partner(store, p.partner_id, label, out,
                                           due_date=rounds.default_due(store, label))
                    made.append(fresh.path)
                    path, return_id = fresh.path, fresh.record.id
                    again.append(p.partner_name)
                    counts = (fresh.commitments, fresh.indicator_rows)
                else:
                    return_id = sent.return_id
                    counts = _counts_of(store, p.partner_id, label)
                if sent and sent.exported_at:
                    sent_on[p.partner_id] = date.fromisoformat(sent.exported_at[:10])
                items.append((p.partner_id, p.partner_name, path, *counts))
                marked.append(return_id)
            current = rounds.get_round(store, label)
            due = (date.fromisoformat(current.due_date) if current.due_date
                   else rounds.default_due(store, label, today))
            drafts = write_drafts(_requests(store, label, items, due, sent_on), template,
                                  store.officer, out, reminder=True,
                                  sender=user_settings.officer_email(), today=today)
        except BaseException:
            for path in made:
                path.unlink(missing_ok=True)
            raise
        rounds.mark_reminded(store, marked)
        op.value = Reminders(the_round, drafts, again)
        names = ", ".join(p.partner_name for p in overdue[:3])
        more = f" and {len(overdue) - 3} more" if len(overdue) > 3 else ""
        op.summary = (f"Drafted {count_of(len(drafts), 'reminder')} for round {label} to "
                      f"{names}{more}")
    return op.result


def _counts_of(store: Store, partner_id: int, label: str) -> tuple[int, int]:
    from tracker.store import returns

    return (len(returns.partner_commitments(store, partner_id, latest_evidence=False)),
            len(returns.partner_indicator_rows(store, partner_id, label)))


def set_round_due(store: Store, round_label: str, due: date) -> OpResult:
    """A new date the round's workbooks are due back (those not back yet count as overdue
    from then on)."""
    return _change_round(store, round_label, "set_round_due",
                         "Round {label} is now due back by " + long_date(due),
                         rounds.set_due_date, due.isoformat())


def close_round(store: Store, round_label: str) -> OpResult:
    return _change_round(store, round_label, "close_round", "Closed round {label}",
                         rounds.close_round)


def reopen_round(store: Store, round_label: str) -> OpResult:
    return _change_round(store, round_label, "reopen_round", "Reopened round {label}",
                         rounds.reopen_round)


def _change_round(store: Store, round_label: str, kind: str, summary: str,
                  change: Callable[..., object], *args: object) -> OpResult:
    """`change(store, round_id, *args)` on the round a label names, as one operation;
    `summary` names the round as {label}."""
    label = canonical_round(round_label)
    the_round = rounds.get_round(store, label)
    with operation(store, kind) as op:
        op.value = change(store, the_round.id, *args)
        op.summary = summary.format(label=label)
    return op.result

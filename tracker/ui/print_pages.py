"""What Print puts on paper, as simple HTML for a QTextDocument: a commitment with its evidence
and status history, a priority with its commitments and their evidence, or a plan's overview
(the home screen's figures as tables). Every text from the database is escaped.

No Qt here: tracker.ui.printing lays these out on a printer.
"""

from __future__ import annotations

from datetime import date

from tracker.domain.model import Commitment, Visibility
from tracker.domain.status import Status
from tracker.domain.text import html_escape as esc
from tracker.domain.wording import count_of, day
from tracker.reports.palette import HEADING, MUTED, STATUS_INK
from tracker.store import dashboard as store_dashboard
from tracker.store import queries
from tracker.store.database import Store
from tracker.ui.widgets.field_error import fmt_figure

STYLE = f"""
h1 {{ color: {HEADING}; font-size: 16pt; margin-bottom: 2pt; }}
h2 {{ color: {HEADING}; font-size: 12pt; margin-top: 12pt; margin-bottom: 4pt; }}
h3 {{ color: {HEADING}; font-size: 11pt; margin-top: 8pt; margin-bottom: 2pt; }}
p, li, td, th {{ font-size: 9.5pt; }}
.muted {{ color: {MUTED}; }}
th {{ background-color: #e8eef5; text-align: left; }}
"""


def _status(status: Status) -> str:
    return f"<b style='color:{STATUS_INK[status]}'>{esc(status.shape)} {esc(status.label)}</b>"


def _table(headers: list[str], rows: list[list[str]], widths: list[int] | None = None) -> str:
    """A bordered table; cells are HTML already."""
    head = "".join(
        f"<th{f' width={widths[i]}%' if widths else ''}>{esc(h)}</th>" for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td valign=top>{c}</td>" for c in row) + "</tr>"
                   for row in rows)
    return (f"<table border=1 cellspacing=0 cellpadding=3 width=100% "
            f"style='border-collapse:collapse; border-color:#cbd5e1'><thead><tr>{head}</tr>"
            f"</thead><tbody>{body}</tbody></table>")


def _page(title: str, body: str, store: Store, today: date | None) -> str:
    printed = today or date.today()
    where = store.path.name if store.path is not None else "a database in memory"
    return (f"<html><head><title>{esc(title)}</title><style>{STYLE}</style></head><body>{body}"
            f"<p class=muted>Printed {day(printed.isoformat())} from {esc(where)} by "
            f"{esc(store.officer)}.</p></body></html>")


def _evidence_rows(store: Store, commitment_id: int) -> list[list[str]]:
    rows = []
    for item in queries.list_evidence(store, commitment_id):
        figure = ""
        if item.figure is not None:
            figure = esc(f"{fmt_figure(item.figure)} {item.unit or ''}".strip())
        when = day(item.evidence_date) if item.evidence_date else (item.period or "—")
        text = esc(item.text) + (f"<br><span class=muted>{esc(item.link)}</span>"
                                 if item.link else "")
        vis = "Shareable" if item.visibility is Visibility.SHAREABLE else "Internal only"
        rows.append([esc(when), text, esc(item.partner_name or "—"), figure, vis])
    return rows


def _label(c: Commitment) -> str:
    return f"{c.code}. " if c.code else ""


def commitment_html(store: Store, commitment_id: int, today: date | None = None) -> str:
    c = queries.get_commitment(store, commitment_id)
    priority = queries.get_priority(store, c.priority_id)
    plan = queries.get_plan(store, priority.plan_id)
    partners = queries.commitment_partner_ids(store, c.id)
    names = [p.name for p in queries.list_partners(store) if p.id in partners]
    facts = [("Status", _status(c.status)), ("Lead", esc(c.lead or "—")),
             ("Due or review", esc(day(c.due_date, "—"))),
             ("Partners", esc(", ".join(names) or "none"))]
    body = [f"<p class=muted>{esc(plan.title)} › Priority {priority.number}: "
            f"{esc(priority.title)}</p>",
            f"<h1>{esc(_label(c))}{esc(c.text)}</h1>",
            "<table cellpadding=2>" + "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>"
                                              for k, v in facts) + "</table>"]
    subs = queries.children(store, c.id)
    if subs:
        body.append("<h2>Sub-points</h2><ul>" + "".join(
            f"<li>{esc(_label(s))}{esc(s.text)} — {_status(s.status)}</li>" for s in subs)
            + "</ul>")
    evidence = _evidence_rows(store, c.id)
    body.append(f"<h2>Evidence ({len(evidence)})</h2>")
    body.append(_table(["When", "Evidence", "Source", "Figure", "Visibility"], evidence,
                       [14, 51, 13, 10, 12]) if evidence else "<p>No evidence yet.</p>")
    history = queries.status_history(store, c.id)
    body.append(f"<h2>Status history ({len(history)})</h2>")
    if history:
        body.append(_table(["When", "Who", "From", "To", "Why"], [
            [esc(day(h.changed_at)), esc(h.changed_by or ""),
             _status(h.from_status) if h.from_status else "—", _status(h.to_status),
             esc(h.reason or "")] for h in history], [13, 14, 16, 16, 41]))
    else:
        body.append("<p>The status has not been changed.</p>")
    return _page(f"{_label(c)}{c.text[:60]}", "".join(body), store, today)


def priority_html(store: Store, priority_id: int, today: date | None = None) -> str:
    priority = queries.get_priority(store, priority_id)
    plan = queries.get_plan(store, priority.plan_id)
    commitments = queries.list_commitments(store, priority_id)
    counts = {s: sum(1 for c in commitments if c.status is s) for s in Status}
    body = [f"<p class=muted>{esc(plan.title)} ({esc(plan.period)})</p>",
            f"<h1>Priority {priority.number}: {esc(priority.title)}</h1>"]
    for label, text in (("Our objective", priority.objective), ("Partnership",
                        priority.partnership), ("So that", priority.outcome)):
        if text:
            body.append(f"<p><b>{label}:</b> {esc(text)}</p>")
    body.append("<p>" + esc(count_of(len(commitments), "commitment")) + ": " + ", ".join(
        f"{n} {_status(s)}" for s, n in counts.items() if n) + "</p>")
    for c in commitments:
        body.append(f"<h2>{esc(_label(c))}{esc(c.text)}</h2><p>{_status(c.status)}"
                    + (f" · Lead: {esc(c.lead)}" if c.lead else "")
                    + (f" · Due {esc(day(c.due_date))}" if c.due_date else "") + "</p>")
        for s in queries.children(store, c.id):
            body.append(f"<p>&nbsp;&nbsp;&nbsp;{esc(_label(s))}{esc(s.text)} — "
                        f"{_status(s.status)}</p>")
        evidence = _evidence_rows(store, c.id)
        if evidence:
            body.append(_table(["When", "Evidence", "Source", "Figure", "Visibility"], evidence,
                               [14, 51, 13, 10, 12]))
        else:
            body.append("<p class=muted>No evidence yet.</p>")
    return _page(f"Priority {priority.number}: {priority.title}", "".join(body), store, today)


def overview_html(store: Store, plan_id: int, today: date | None = None,
                  data: store_dashboard.Dashboard | None = None) -> str:
    data = data or store_dashboard.dashboard(store, plan_id, today)
    plan, ov = data.plan, data.overview
    present = [s for s in Status if any(p.counts[s] for p in ov.priorities)]
    state = "closed" if plan.is_closed else plan.state.label.lower()
    body = [f"<h1>{esc(plan.title)}</h1><p class=muted>{esc(plan.period)} · {state} · "
            f"{esc(count_of(ov.total, 'commitment'))}</p>",
            "<h2>Commitments by status</h2>"]
    rows = [[f"{p.number}. {esc(p.title)}"] + [str(p.counts[s] or "") for s in present]
            + [f"<b>{p.counts.total}</b>"] for p in ov.priorities]
    rows.append(["<b>All priorities</b>"] + [
        f"<b>{sum(p.counts[s] for p in ov.priorities)}</b>" for s in present]
        + [f"<b>{ov.total}</b>"])
    share = max(8, 60 // max(1, len(present) + 1))
    body.append(_table(["Priority"] + [f"{s.shape} {s.label}" for s in present] + ["Total"],
                       rows, [100 - share * (len(present) + 1)] + [share] * (len(present) + 1)))
    body.append(f"<h2>Evidenced in {esc(ov.period)}</h2><p>{ov.evidenced} of "
                f"{esc(count_of(ov.total, 'commitment'))} ({round(100 * ov.share)}%) have "
                f"evidence dated in {esc(ov.period)}.</p>")
    body.append(f"<h2>Overdue for an update ({len(ov.overdue)})</h2>")
    if ov.overdue:
        body.append(_table(["Code", "Commitment", "Status", "Why"], [
            [esc(r.code or ""), esc(r.text), _status(r.status), esc(r.why)] for r in ov.overdue],
            [8, 62, 14, 16]))
    else:
        body.append("<p>None.</p>")
    if data.round is not None:
        r = data.round
        body.append(f"<h2>Partner returns: round {esc(r.label)}</h2><p>{esc(r.line)}"
                    + (f"; overdue: {esc(', '.join(r.overdue_partners))}"
                       if r.overdue_partners else "") + ".</p>")
    lines = [line for line in data.indicators if line.has_values]
    body.append(f"<h2>Indicators ({len(lines)} of {len(data.indicators)} with values)</h2>")
    if lines:
        body.append(_table(["Priority", "Indicator", "Change", "Latest, against the baseline"], [
            [str(line.priority_number or ""), esc(line.name), esc(line.verdict or "—"),
             esc(line.headline.text)] for line in lines], [9, 33, 14, 44]))
    return _page(f"{plan.title}: overview", "".join(body), store, today)

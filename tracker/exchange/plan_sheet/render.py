"""The preview of a plan draft as text, for the command line."""

from __future__ import annotations

import textwrap

from tracker.domain.wording import count_of
from tracker.exchange.plan_sheet.draft import DraftCommitment, PlanDraft
from tracker.exchange.plan_sheet.mapping import FIELD_LABELS

WIDTH = 100


def _fill(text: str, indent: int, hanging: int = 4) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=" " * indent,
                         subsequent_indent=" " * (indent + hanging))


def _item_line(item: DraftCommitment, indent: int) -> str:
    facts = [item.status.label + (f" (from {item.status_from})" if item.status_from else "")]
    if item.lead:
        facts.append(f"lead {item.lead}")
    if item.due:
        facts.append(f"due {item.due.due:%d/%m/%Y}")
    if item.partners:
        facts.append("partners " + ", ".join(item.partners))
    code = f"{item.code}. " if item.code else ""
    lines = [_fill(f"{code}{item.text}  [{item.place}]", indent)]
    if item.status_from or len(facts) > 1:
        lines.append(_fill("; ".join(facts), indent + 4))
    if item.notes:
        lines.append(_fill(f"notes: {item.notes}", indent + 4))
    return "\n".join(lines)


def render_draft(draft: PlanDraft) -> str:
    where = draft.source + (f", sheet '{draft.sheet}'" if draft.sheet else "")
    if draft.header_row:
        where += f", headings in row {draft.header_row}"
    lines = [where]
    if draft.columns:
        lines.append("Columns: " + "; ".join(f"{FIELD_LABELS[k].lower()} {v}"
                                             for k, v in draft.columns.items()))
    if draft.statuses_used:
        lines.append("Statuses: " + "; ".join(f"{word} -> {status.label}"
                                              for word, status in draft.statuses_used.items()))
    lines.append(f"{count_of(len(draft.priorities), 'priority', 'priorities')}, "
                 f"{count_of(draft.commitment_count, 'commitment')}, "
                 f"{count_of(draft.subpoint_count, 'sub-point')}, "
                 f"{count_of(len(draft.problems), 'problem')}, "
                 f"{count_of(len(draft.warnings), 'warning')}")
    new = draft.new_partners()
    if new:
        lines.append(f"New partners: {', '.join(new)}")
    for priority in draft.priorities:
        lines.append("")
        lines.append(_fill(f"{priority.number}. {priority.title}  [{priority.place}]", 0))
        for label, text in (("objective", priority.objective), ("partnership", priority.partnership),
                            ("outcome", priority.outcome)):
            if text:
                lines.append(_fill(f"{label}: {text}", 4))
        for item in priority.commitments:
            lines.append(_item_line(item, 2))
            for child in item.children:
                lines.append(_item_line(child, 6))
    if draft.problems:
        lines.append("\nProblems (nothing is created until they are fixed):")
        lines.extend(_fill(str(p), 2, 6) for p in draft.problems)
    if draft.warnings:
        lines.append("\nWarnings (creating the plan accepts them):")
        lines.extend(_fill(str(w), 2, 6) for w in draft.warnings)
    return "\n".join(lines)

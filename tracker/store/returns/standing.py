"""Where each partner stands in a round: not sent, sent, overdue or back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.domain.wording import day
from tracker.store.database import Store


@dataclass(frozen=True)
class PartnerRoundStatus:
    partner_id: int
    partner_name: str
    state: str  # "not sent", "sent", "overdue", "back"
    exported_at: str | None
    due_date: str | None
    imported_at: str | None
    return_id: int | None

    @property
    def label(self) -> str:
        if self.state == "overdue":
            return f"Overdue (due {day(self.due_date)})"
        if self.state == "sent":
            return f"Sent {day(self.exported_at)}, due {day(self.due_date, 'no date set')}"
        if self.state == "back":
            return f"Back {day(self.imported_at)}"
        return "Not sent"


def round_status(store: Store, round_label: str, today: date | None = None) -> list[PartnerRoundStatus]:
    """Every partner with items to report or a workbook in this round, and where it stands
    (two queries: the partners, then the round's workbooks)."""
    today = today or date.today()
    partners = list(store.query(
        """
        SELECT p.id, p.name FROM partner p WHERE p.id IN (
            SELECT partner_id FROM commitment_partner cp JOIN commitment c ON c.id = cp.commitment_id
            JOIN priority pr ON pr.id = c.priority_id JOIN plan pl ON pl.id = pr.plan_id
            WHERE pl.state != 'closed'
            UNION SELECT partner_id FROM indicator_partner ip JOIN indicator i ON i.id = ip.indicator_id
            JOIN priority pr ON pr.id = i.priority_id JOIN plan pl ON pl.id = pr.plan_id
            WHERE pl.state != 'closed'
            UNION SELECT partner_id FROM partner_return WHERE round = ?)
        ORDER BY p.name
        """, [round_label]))
    sent: dict[int, list[dict]] = {}
    for r in store.query("SELECT * FROM partner_return WHERE round = ? ORDER BY created_at, id",
                            [round_label]):
        sent.setdefault(r["partner_id"], []).append(r)
    result = []
    for p in partners:
        workbooks = sent.get(p["id"], [])
        back = [r for r in workbooks if r["imported_at"] and not r["reverted_at"]]
        if back:
            r = back[-1]
            result.append(PartnerRoundStatus(p["id"], p["name"], "back", r["exported_at"],
                                             r["due_date"], r["imported_at"], r["id"]))
        elif workbooks:
            r = workbooks[-1]
            overdue = bool(r["due_date"]) and date.fromisoformat(r["due_date"]) < today
            result.append(PartnerRoundStatus(p["id"], p["name"], "overdue" if overdue else "sent",
                                             r["exported_at"], r["due_date"], None, r["id"]))
        else:
            result.append(PartnerRoundStatus(p["id"], p["name"], "not sent", None, None, None,
                                             None))
    return result

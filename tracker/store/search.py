"""Full-text search over commitments and evidence (FTS5)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.store.database import Store


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "commitment" or "evidence"
    item_id: int
    commitment_id: int
    plan_id: int
    snippet: str  # the matched words wrapped in [ and ]


def fts_query(text: str) -> str | None:
    """Words typed by a person as an FTS5 query: every word must match, the last as a prefix."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search(store: Store, text: str, limit: int = 50, plan_id: int | None = None) -> list[SearchHit]:
    """Commitments first, then evidence. Unranked MATCH with a LIMIT: ranking every hit costs
    seconds on a big database, and the officer reads the first page only."""
    query = fts_query(text)
    if query is None:
        return []
    hits: list[SearchHit] = []
    plan_filter = "AND p.plan_id = :plan" if plan_id is not None else ""
    for kind, sql in (
        ("commitment", f"""
            SELECT c.id AS item_id, c.id AS commitment_id, p.plan_id,
                   snippet(commitment_fts, 0, '[', ']', '…', 12) AS snippet
            FROM commitment_fts JOIN commitment c ON c.id = commitment_fts.rowid
            JOIN priority p ON p.id = c.priority_id
            WHERE commitment_fts MATCH :q {plan_filter} LIMIT :limit"""),
        ("evidence", f"""
            SELECT e.id AS item_id, e.commitment_id, p.plan_id,
                   snippet(evidence_fts, 0, '[', ']', '…', 12) AS snippet
            FROM evidence_fts JOIN evidence e ON e.id = evidence_fts.rowid
            JOIN commitment c ON c.id = e.commitment_id
            JOIN priority p ON p.id = c.priority_id
            WHERE evidence_fts MATCH :q {plan_filter} LIMIT :limit"""),
    ):
        remaining = limit - len(hits)
        if remaining <= 0:
            break
        for r in store.db.query(sql, {"q": query, "limit": remaining, "plan": plan_id}):
            hits.append(SearchHit(kind, r["item_id"], r["commitment_id"], r["plan_id"], r["snippet"]))
    return hits

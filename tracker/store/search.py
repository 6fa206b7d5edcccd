"""Full-text search over commitments and evidence (FTS5)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.store.database import Store

# The matched words in a snippet lie between these two characters: control characters, which no
# stored text may hold (tracker.domain.text refuses them at input), so a "[" typed by an officer
# is never taken for a mark.
MARK_START, MARK_END = "\x02", "\x03"


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "commitment" or "evidence"
    item_id: int
    commitment_id: int
    plan_id: int
    snippet: str  # the matched words between MARK_START and MARK_END
    plan_title: str = ""
    priority_number: int | None = None
    priority_title: str = ""
    code: str | None = None  # the commitment's code ("A", "J.1")

    @property
    def plain(self) -> str:
        """The snippet without its marks."""
        return self.snippet.replace(MARK_START, "").replace(MARK_END, "")

    def parts(self) -> list[tuple[str, bool]]:
        """The snippet as (text, matched) pieces, in order."""
        found: list[tuple[str, bool]] = []
        for i, piece in enumerate(self.snippet.split(MARK_START)):
            if i == 0:
                found.append((piece, False))
                continue
            matched, _, rest = piece.partition(MARK_END)
            found.append((matched, True))
            found.append((rest, False))
        return [(text, matched) for text, matched in found if text]


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
                   snippet(commitment_fts, 0, :start, :end, '…', 16) AS snippet,
                   pl.title AS plan_title, p.number, p.title AS priority_title, c.code
            FROM commitment_fts JOIN commitment c ON c.id = commitment_fts.rowid
            JOIN priority p ON p.id = c.priority_id JOIN plan pl ON pl.id = p.plan_id
            WHERE commitment_fts MATCH :q {plan_filter} LIMIT :limit"""),
        ("evidence", f"""
            SELECT e.id AS item_id, e.commitment_id, p.plan_id,
                   snippet(evidence_fts, 0, :start, :end, '…', 16) AS snippet,
                   pl.title AS plan_title, p.number, p.title AS priority_title, c.code
            FROM evidence_fts JOIN evidence e ON e.id = evidence_fts.rowid
            JOIN commitment c ON c.id = e.commitment_id
            JOIN priority p ON p.id = c.priority_id JOIN plan pl ON pl.id = p.plan_id
            WHERE evidence_fts MATCH :q {plan_filter} LIMIT :limit"""),
    ):
        remaining = limit - len(hits)
        if remaining <= 0:
            break
        for r in store.db.query(sql, {"q": query, "limit": remaining, "plan": plan_id,
                                      "start": MARK_START, "end": MARK_END}):
            hits.append(SearchHit(kind, r["item_id"], r["commitment_id"], r["plan_id"],
                                  r["snippet"], r["plan_title"], r["number"],
                                  r["priority_title"], r["code"]))
    return hits

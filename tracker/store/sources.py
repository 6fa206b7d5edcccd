"""The documents a plan's text was taken from, by the short codes its `source` fields use.

A plan, priority or commitment brought in from a document remembers where it came from
("EXT, Priority 3"): a note for the records, not a field an officer edits. The codes' meanings
are kept in the database (the sample sets them from resources/sample/sources.toml), so the
window can say "Police and Crime Plan 2016-2020: Extension 2020/21 (EXT), Priority 3".
"""

from __future__ import annotations

import json
import re

from tracker.store import texts
from tracker.store.database import Store

DOCUMENTS_SETTING = "source.documents"
_CODE = re.compile(r"^([A-Z][A-Z0-9_-]{0,15})\b(.*)$", re.S)


def documents(store: Store) -> dict[str, str]:
    """{code: title} of the source documents this database knows."""
    row = store.execute("SELECT value FROM app_setting WHERE name = ?",
                        (DOCUMENTS_SETTING,)).fetchone()
    try:
        found = json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def set_documents(store: Store, titles: dict[str, str]) -> None:
    for code, title in titles.items():
        texts.check(code, "A source code", "code")
        texts.check(title, "A source title", "title")
    with store.transaction():
        store.execute("INSERT OR REPLACE INTO app_setting (name, value) VALUES (?, ?)",
                      (DOCUMENTS_SETTING, json.dumps(dict(titles), ensure_ascii=False)))


def source_words(store: Store, source: str | None) -> str | None:
    """A source note in words: its leading code spelled out ("EXT, Priority 3" -> "Police and
    Crime Plan 2016-2020: Extension 2020/21 (EXT), Priority 3"); as it is when the code is not
    known; None when there is none."""
    text = " ".join(str(source or "").split())
    if not text:
        return None
    m = _CODE.match(text)
    if m:
        title = documents(store).get(m.group(1))
        if title:
            return f"{title} ({m.group(1)}){m.group(2)}"
    return text

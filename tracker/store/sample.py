"""The built-in sample plan: TOML files in resources/sample, loaded into a new database.

The folder is installed inside the package (`tracker.resources`, see `tracker.store.packaged`).

See resources/sample/FORMAT.md for the format. Everything is written in one transaction.

The sample's rows carry the dates their sources carry, never the day the file was made (see
`_date_from_sources`): "last updated", "not updated in N days" and "overdue for an update" then
say of the sample what they would say of a plan kept in the tracker all along.
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, date, datetime, time, timedelta
from importlib.resources.abc import Traversable
from typing import Any

from tracker.domain.model import Visibility
from tracker.domain.narrative import Block, NarrativeFormatError, Section, block_from_data
from tracker.domain.periods import PeriodError, span_of
from tracker.domain.plan_periods import plan_years
from tracker.domain.status import Status
from tracker.store import (
    commitments,
    evidence,
    indicators,
    narrative,
    office,
    packaged,
    partners,
    plans,
    sources,
    stated_changes,
)
from tracker.store.database import Store
from tracker.store.errors import StoreError
from tracker.store.evidence import EvidenceInput
from tracker.store.indicators import ValueInput
from tracker.store.stated_changes import StatedInput

SAMPLE_AUTHOR = "Sample plan (closure report)"

# The sample files cite the two seed documents by a short code (resources/sample/FORMAT.md);
# what is stored is what an officer would write and a reader of a report can look up.
DOCUMENTS = {"CLOSURE": "Police and Crime Plan 2016 to 2021 Closure Report",
             "EXT": "Police and Crime Plan 2016-2020: Extension 2020/21"}
_PARAGRAPH = re.compile(r"(\d+(?:\.\d+)+)(, unnumbered paragraph after it)?")


def cited(source: str | None) -> str | None:
    """A sample source as a reader would cite it: "CLOSURE 5.2" is "Police and Crime Plan 2016
    to 2021 Closure Report, paragraph 5.2"; "EXT, Priority 3" is "Police and Crime Plan
    2016-2020: Extension 2020/21, Priority 3"; "CLOSURE 7. Reverse the trend ..." names the
    chapter."""
    if not source:
        return source
    code, rest = re.match(r"([A-Z]+)(.*)", source).groups()  # type: ignore[union-attr]
    if code not in DOCUMENTS:
        return source
    document, rest = DOCUMENTS[code], rest.strip()
    if rest.startswith(","):
        return f"{document}, {rest[1:].strip()}"
    if not rest:
        return document
    number = _PARAGRAPH.fullmatch(rest)
    if number and number.group(2):
        return f"{document}, the unnumbered paragraph after paragraph {number.group(1)}"
    if number:
        return f"{document}, paragraph {number.group(1)}"
    return f"{document}, chapter {rest}"


def sample_folder() -> Traversable:
    """The installed sample plan."""
    return packaged.folder(packaged.RESOURCES_PACKAGE, "sample")


def read_sample(directory: Traversable | None = None) -> dict[str, Any]:
    """All sample files: {"partners": {key: {...}}, "plans": [...], "indicators": [...],
    "narratives": [...], "office": {...} or None}."""
    if directory is None:
        directory = sample_folder()
    data: dict[str, Any] = {"partners": {}, "plans": [], "indicators": [], "narratives": [],
                            "office": None, "documents": {}}
    files = packaged.listing(directory, ".toml")
    if not files:
        raise packaged.PackagedDataError(
            f"The sample plan is missing: no .toml files in {directory}; reinstall Commitment Tracker.")
    for path in files:
        try:
            doc = tomllib.loads(packaged.read_text(path))
        except tomllib.TOMLDecodeError as exc:
            raise packaged.PackagedDataError(
                f"The sample file {path.name} is damaged ({exc}); reinstall Commitment Tracker.") from exc
        for p in doc.get("partner", []):
            known = data["partners"].get(p["key"])
            if known and known["name"] != p["name"]:
                raise StoreError(f"Partner '{p['key']}' is named '{known['name']}' in one sample "
                                 f"file and '{p['name']}' in {path.name}.")
            data["partners"].setdefault(p["key"], p)
        if "plan" in doc:
            data["plans"].append({**doc["plan"], "priority": doc.get("priority", []),
                                  "file": path.name})
        data["indicators"].extend(doc.get("indicator", []))
        data["narratives"].extend(doc.get("narrative", []))
        if "office" in doc:
            data["office"] = doc["office"]
        for d in doc.get("document", []):
            data["documents"][d["code"]] = d["title"]
    return data


def load_sample(store: Store, directory: Traversable | None = None) -> None:
    data = read_sample(directory)
    with store.transaction():
        partner_ids = {key: partners.add_partner(store, p["name"], key=key)
                       for key, p in data["partners"].items()}
        plan_ids: dict[str, int] = {}
        priority_ids: dict[str, int] = {}
        commitment_ids: dict[str, int] = {}
        pending_origin: list[tuple[int, str]] = []
        pending_links: list[tuple[int, str, str | None]] = []
        pending_status: list[tuple[int, Status, str, str | None]] = []
        for plan in data["plans"]:
            plan_id = plans.add_plan(store, plan["title"], plan["period"], state="active",
                                     key=plan["key"], source=plan.get("source"))
            plan_ids[plan["key"]] = plan_id
            for pr in plan["priority"]:
                pid = plans.add_priority(
                    store, plan_id, pr["number"], pr["title"], objective=pr.get("objective"),
                    partnership=pr.get("partnership"), outcome=pr.get("outcome"),
                    source=pr.get("source"))
                priority_ids[pr["key"]] = pid
                for link in pr.get("links", []):
                    pending_links.append((pid, link, pr.get("links_quote")))
                for c in pr.get("commitment", []):
                    cid = _load_commitment(store, pid, c, pr.get("source"), partner_ids)
                    commitment_ids[c["key"]] = cid
                    if c.get("carried_forward_from"):
                        pending_origin.append((cid, c["carried_forward_from"]))
                    if c.get("status"):
                        pending_status.append((cid, Status(c["status"]), c["status_quote"],
                                               c.get("status_period")))
        for cid, origin in pending_origin:
            if origin not in commitment_ids:
                raise StoreError(f"Sample commitment links to unknown commitment '{origin}'.")
            commitments.update_commitment(store, cid, carried_forward_from_id=commitment_ids[origin])
        for pid, other, quote in pending_links:
            if other not in priority_ids:
                raise StoreError(f"Sample priority links to unknown priority '{other}'.")
            plans.link_priorities(store, pid, priority_ids[other], quote)
        for cid, status, quote, period in pending_status:
            commitments.set_status(store, cid, status, quote, changed_by=SAMPLE_AUTHOR,
                                   period=period)
        indicator_ids = {ind["key"]: _load_indicator(store, ind, plan_ids, partner_ids)
                         for ind in data["indicators"]}
        for text in data["narratives"]:
            _load_narrative(store, text, plan_ids, indicator_ids)
        if data["office"]:
            office.set_office_name(store, data["office"]["name"])
        if data["documents"]:
            sources.set_documents(store, data["documents"])
        for plan in data["plans"]:
            plans.set_plan_state(store, plan_ids[plan["key"]], plan.get("state", "active"))
        _date_from_sources(store)


def _noon(day: date) -> str:
    """A stamp of that day, as clock.now writes them (noon UTC: the same day in the UK)."""
    return datetime.combine(day, time(12), UTC).isoformat(timespec="microseconds")


def _last_day(label: str | None) -> date | None:
    try:
        return span_of(label)[1].end - timedelta(days=1) if label else None
    except PeriodError:
        return None


def _date_from_sources(store: Store) -> None:
    """Stamp the sample's rows with the dates the closure report gives them: an evidence bullet
    and a stated status on the last day of the period they speak for (the Appendix 1 section:
    31 March 2020 for "2016/17-2019/20"), a commitment as made when its plan began and last
    updated by its latest evidence or status (when it has none, when its plan began)."""
    conn = store.conn
    evidence_days = [(_noon(d), i) for i, period in conn.execute(
        "SELECT id, period FROM evidence") if (d := _last_day(period))]
    conn.executemany("UPDATE evidence SET created_at = ?, updated_at = ? WHERE id = ?",
                     [(stamp, stamp, i) for stamp, i in evidence_days])
    conn.executemany("UPDATE status_change SET changed_at = ? WHERE id = ?",
                     [(_noon(d), i) for i, period in conn.execute(
                         "SELECT id, period FROM status_change") if (d := _last_day(period))])
    begun = {}
    for plan_id, period in conn.execute("SELECT id, period FROM plan"):
        found = plan_years(period)
        if found is not None:
            begun[plan_id] = _noon(found.first.start)
    rows = conn.execute(
        "SELECT c.id, pr.plan_id, (SELECT max(e.updated_at) FROM evidence e "
        "WHERE e.commitment_id = c.id), (SELECT max(s.changed_at) FROM status_change s "
        "WHERE s.commitment_id = c.id) FROM commitment c "
        "JOIN priority pr ON pr.id = c.priority_id").fetchall()
    stamps = []
    for cid, plan_id, evidence_at, status_at in rows:
        made = begun.get(plan_id)
        if made is None:
            continue
        stamps.append((made, max(s for s in (made, evidence_at, status_at) if s), cid))
    conn.executemany("UPDATE commitment SET created_at = ?, updated_at = ? WHERE id = ?", stamps)


def _load_commitment(store: Store, priority_id: int, c: dict, source: str | None,
                     partner_ids: dict[str, int]) -> int:
    code = c.get("code") or None
    cid = commitments.add_commitment(store, priority_id, c["text"], code=code, source=source)
    subpoints = [commitments.add_commitment(store, priority_id, text, parent_id=cid,
                                            code=f"{code}.{n}" if code else str(n), source=source)
                 for n, text in enumerate(c.get("subpoints", []), start=1)]
    for item in c.get("evidence", []):
        # `subpoint = N`: the evidence of the commitment's N-th sub-point
        n = item.get("subpoint")
        if n is not None and not 1 <= n <= len(subpoints):
            raise StoreError(f"Sample commitment {c.get('key')}: evidence names sub-point {n}, "
                             f"but it has {len(subpoints)}.")
        evidence.add_evidence(
            store, subpoints[n - 1] if n is not None else cid,
            EvidenceInput(item["text"], period=item.get("period"),
                          partner_id=partner_ids.get(item["partner"]) if item.get("partner") else None,
                          figure=item.get("figure"), unit=item.get("unit"),
                          visibility=Visibility.SHAREABLE),
            author=SAMPLE_AUTHOR)
    ids = [partner_ids[k] for k in c.get("partners", [])]
    if ids:
        partners.set_commitment_partners(store, cid, ids)
    return cid


def _load_indicator(store: Store, ind: dict, plan_ids: dict[str, int],
                    partner_ids: dict[str, int]) -> int:
    plan_id = plan_ids[ind["plan"]]
    priority = next(p for p in plans.list_priorities(store, plan_id)
                    if p.number == ind["priority"])
    iid = indicators.add_indicator(
        store, priority.id, ind["name"], unit=ind["unit"], polarity=ind["polarity"],
        frequency=ind.get("frequency", "annual"), number=ind.get("number"), key=ind.get("key"),
        baseline_period=ind.get("baseline_period"), target_value=ind.get("target_value"),
        target_period=ind.get("target_period"), source=cited(ind.get("source")),
        steady_band=ind.get("steady_band"))
    for v in ind.get("value", []):
        indicators.set_value(store, iid, ValueInput(
            str(v["period"]), v["value"], v.get("series", "actual"), note=v.get("note"),
            source=cited(v.get("source")), quote=v.get("quote"), qualifier=v.get("qualifier")))
    for c in ind.get("stated", []):
        stated_changes.add_stated(store, iid, StatedInput(
            c["way"], c.get("percent"), c.get("qualifier"), c.get("from_period"),
            c.get("to_period"), c.get("from_value"), c.get("to_value"), c.get("period_words"),
            c.get("note"), cited(c.get("source")), c.get("quote")))
    store.conn.executemany(
        "INSERT INTO indicator_partner (indicator_id, partner_id) VALUES (?, ?)",
        [(iid, partner_ids[k]) for k in dict.fromkeys(ind.get("partners", []))])
    return iid


def _load_narrative(store: Store, text: dict, plan_ids: dict[str, int],
                    indicator_ids: dict[str, int]) -> None:
    """One [[narrative]] of the sample: its place, period and blocks (see FORMAT.md)."""
    section = Section(text["section"])
    if section is Section.COMMENTARY:
        place = narrative.commentary_place(store, indicator_ids[text["indicator"]])
    elif section is Section.CHAPTER:
        plan_id = plan_ids[text["plan"]]
        priority = next(p for p in plans.list_priorities(store, plan_id)
                        if p.number == text["priority"])
        place = narrative.chapter_place(store, priority.id)
    else:
        place = narrative.plan_place(plan_ids[text["plan"]], section)

    def block(data: dict) -> Block:
        data = dict(data)
        if data.get("type") == "figure":
            data["indicator"] = indicators.get_indicator(
                store, indicator_ids[data["indicator"]]).uid
        if data.get("type") == "list":
            data["items"] = [_item(i) for i in data.pop("item", [])]
        try:
            return block_from_data(data)
        except NarrativeFormatError as exc:
            raise StoreError(f"Sample narrative ({text.get('source')}): {exc}") from exc

    narrative.set_narrative(store, place, text["period"],
                            tuple(block(b) for b in text.get("block", [])),
                            author=SAMPLE_AUTHOR)


def _item(data: dict) -> dict:
    data = dict(data)
    data["items"] = [_item(i) for i in data.pop("item", [])]
    return data

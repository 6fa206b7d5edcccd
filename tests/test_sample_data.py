"""The built-in sample plan holds what the seed documents hold, and nothing invented."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tracker.domain.model import PlanState
from tracker.domain.status import Status
from tracker.store import commitments, indicators, plans
from tracker.store.sample import read_sample

SEEDS = Path(__file__).resolve().parent / "data" / "seeds"
EXT_FILE = SEEDS / "002_f359689a80dc1b0c.txt"
CLOSURE_FILE = SEEDS / "000_d82f5cbd6ad37a60.txt"


def normalise(text: str) -> str:
    text = html.unescape(text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # markdown links keep their words
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("**", "")
    text = re.sub(r"[•·�]", " ", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {"EXT": normalise(EXT_FILE.read_text(encoding="utf-8")),
            "CLOSURE": normalise(CLOSURE_FILE.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def sample() -> dict:
    return read_sample()


def _in(seed: str, text: str) -> bool:
    # Sub-bullets folded into their parent bullet keep their own lines ("- " marks a bullet).
    return all(normalise(re.sub(r"^\s*- ", "", part)) in seed
               for part in text.split("\n") if part.strip())


def test_the_three_plans_are_there_with_their_priorities(store):
    by_key = {p.key: p for p in plans.list_plans(store)}
    assert set(by_key) == {"pcp-2016-2020", "pcp-2020-21", "pcp-2021-2024"}
    ext = by_key["pcp-2020-21"]
    titles = [p.title for p in plans.list_priorities(store, ext.id)]
    assert len(titles) == 7
    assert "Anti-Social Behaviour" in titles[1] and "Roads" in titles[6]
    old = [p.title for p in plans.list_priorities(store, by_key["pcp-2016-2020"].id)]
    assert old[3] == "Reverse the trend in serious violence"
    assert old[4] == "Tackle Gangs and Organised Crime"
    assert by_key["pcp-2016-2020"].state is PlanState.CLOSED


def test_every_commitment_and_evidence_text_is_in_its_seed(sample, seeds):
    missing = []
    for plan in sample["plans"]:
        plan_seed = seeds["EXT"] if plan["key"] == "pcp-2020-21" else seeds["CLOSURE"]
        for pr in plan["priority"]:
            for field in ("title", "objective", "partnership", "outcome"):
                if pr.get(field) and not _in(plan_seed, pr[field]) and field != "title":
                    missing.append((pr["key"], field, pr[field]))
            if pr.get("links_quote") and not _in(seeds["CLOSURE"], pr["links_quote"]):
                missing.append((pr["key"], "links_quote", pr["links_quote"]))
            for c in pr.get("commitment", []):
                for text in [c["text"], *c.get("subpoints", [])]:
                    if not _in(plan_seed, text):
                        missing.append((c["key"], "text", text))
                for ev in c.get("evidence", []):
                    if not _in(seeds["CLOSURE"], ev["text"]):
                        missing.append((c["key"], "evidence", ev["text"]))
                if c.get("status_quote") and not _in(seeds["CLOSURE"], c["status_quote"]):
                    missing.append((c["key"], "status_quote", c["status_quote"]))
    assert missing == []


def test_the_extension_has_every_lettered_commitment_in_order(sample):
    ext = next(p for p in sample["plans"] if p["key"] == "pcp-2020-21")
    for pr in ext["priority"]:
        codes = [c["code"] for c in pr["commitment"]]
        assert codes == [chr(ord("A") + i) for i in range(len(codes))], pr["key"]
        assert codes, pr["key"]


def test_statuses_are_set_only_where_the_closure_report_states_them(store, seeds):
    set_by_sample = store.conn.execute(
        "SELECT reason, to_status FROM status_change").fetchall()
    assert set_by_sample, "the closure report states some outcomes"
    for reason, _ in set_by_sample:
        assert normalise(reason) in seeds["CLOSURE"]
    assessed = store.conn.execute(
        "SELECT count(*) FROM commitment WHERE status != 'not_assessed'").fetchone()[0]
    assert assessed == len(set_by_sample)


def test_carried_forward_commitments_link_to_their_origin(store):
    rows = store.conn.execute(
        "SELECT c.id, o.id FROM commitment c JOIN commitment o ON o.id = c.carried_forward_from_id"
    ).fetchall()
    assert rows
    for new_id, old_id in rows:
        new, old = commitments.get_commitment(store, new_id), commitments.get_commitment(store, old_id)
        assert plans.get_priority(store, old.priority_id).plan_id != \
            plans.get_priority(store, new.priority_id).plan_id


def test_extension_priorities_link_to_the_2021_2024_plan(store):
    ext = plans.find_plan(store, "pcp-2020-21")
    later = plans.find_plan(store, "pcp-2021-2024")
    for pr in plans.list_priorities(store, ext.id):
        linked = plans.linked_priorities(store, pr.id)
        assert linked and all(plan.id == later.id for _, plan, _ in linked), pr.title


def _number_forms(value: float) -> set[str]:
    forms = {f"{value:g}", f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"}
    if float(value).is_integer():
        forms |= {str(int(value)), f"{int(value):,}"}
    else:
        forms |= {f"{value:.2f}", f"{value:.1f}"}
    return forms


def test_every_stored_value_appears_in_the_seed_paragraph_it_cites(store, seeds):
    values = store.conn.execute("SELECT value, quote, source FROM indicator_value").fetchall()
    assert len(values) >= 20
    for value, quote, source in values:
        assert quote and source
        seed = seeds["EXT"] if source.startswith("EXT") else seeds["CLOSURE"]
        assert normalise(quote) in seed, quote
        assert any(form in quote for form in _number_forms(value)), (value, quote)


def test_the_values_the_issue_names_are_there(store):
    def series(name_part):
        [ind] = [i for i in indicators.list_indicators(store) if name_part in i.name]
        return {v.period: v.value for v in indicators.list_values(store, ind.id)}

    asb = series("anti-social behaviour incidents")
    assert asb["2015/16"] == 52732 and asb["2021/22"] == 30674
    assert "2018/19" not in asb  # a period the text does not state stays empty
    ksi = series("killed or seriously injured")
    assert sorted(ksi.values()) == [641, 846, 850]


def test_every_indicator_of_the_extension_is_listed(store, seeds):
    ext = plans.find_plan(store, "pcp-2020-21")
    found = indicators.list_indicators(store, plan_id=ext.id)
    assert len(found) >= 26
    for ind in found:
        assert normalise(ind.name) in seeds["EXT"], ind.name
    counts = {}
    for ind in found:
        counts[ind.priority_id] = counts.get(ind.priority_id, 0) + 1
    assert len(counts) == 7


def test_partner_assignments_exist(store):
    n = store.conn.execute("SELECT count(*) FROM commitment_partner").fetchone()[0]
    assert n > 50
    names = {r[0] for r in store.conn.execute("SELECT name FROM partner")}
    assert "Essex Police" in names


def test_no_status_is_guessed_in_the_sample_files(sample):
    for plan in sample["plans"]:
        for pr in plan["priority"]:
            for c in pr.get("commitment", []):
                if "status" in c:
                    Status(c["status"])
                    assert c.get("status_quote"), c["key"]

"""The built-in sample plan holds what the seed documents hold, and nothing invented."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tracker.domain.model import PlanState
from tracker.domain.status import Status
from tracker.store import commitments, evidence, indicators, plans
from tracker.store.sample import DOCUMENTS, cited, read_sample

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
        # stored as a reader would cite it, naming the document (the sample files' EXT or CLOSURE)
        assert source.startswith((DOCUMENTS["EXT"], DOCUMENTS["CLOSURE"])), source
        seed = seeds["EXT"] if source.startswith(DOCUMENTS["EXT"]) else seeds["CLOSURE"]
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


# --- the closure report's narrative ----------------------------------------------------------


def _narrative_points(text: dict):
    """(number, source, text) of every paragraph and list point of one [[narrative]]."""
    for block in text.get("block", []):
        if block.get("type") == "figure":
            continue
        if block.get("type") == "list":
            stack = list(block.get("item", []))
            while stack:
                item = stack.pop(0)
                yield item.get("number"), item.get("source"), item["text"]
                stack[0:0] = item.get("item", [])
            continue
        yield block.get("number"), block.get("source"), block["text"]


def _seed_numbers(seed_text: str) -> list[str]:
    """The paragraph numbers of CLOSURE chapters 1-11 ("1.1" ... "11.14"), in order."""
    start = seed_text.index("\n1. Foreword\n")
    end = seed_text.index("\nAppendix 1. The Priorities", start)
    found = re.findall(r"^\s*-?\s*(\d+\.\d+(?:\.\d+)?)\.", seed_text[start:end], re.M)
    return found


def test_every_narrative_paragraph_is_the_seed_word_for_word_with_its_number(sample, seeds):
    wrong = []
    for text in sample["narratives"]:
        placed = []
        for number, source, words in _narrative_points(text):
            flat = normalise(words)
            if flat not in seeds["CLOSURE"]:
                wrong.append(("not in the seed", number, words[:60]))
            if number and normalise(f"{number}. {words}") not in seeds["CLOSURE"]:
                wrong.append(("not numbered so in the seed", number, words[:60]))
            if number and source != f"CLOSURE {number}":
                wrong.append(("source is not its number", number, source))
            if not number and not (source or "").startswith("CLOSURE "):
                wrong.append(("no source", number, words[:60]))
            placed.append(flat)
        position = 0
        for flat in placed:  # in the seed's order
            found = seeds["CLOSURE"].find(flat, position)
            if found < 0:
                wrong.append(("out of order", text.get("source"), flat[:60]))
                break
            position = found + len(flat)
    assert wrong == []


def test_the_narrative_holds_every_numbered_paragraph_of_chapters_1_to_11(sample):
    raw = CLOSURE_FILE.read_text(encoding="utf-8")
    in_seed = _seed_numbers(raw)
    in_sample = [n for text in sample["narratives"] for n, _s, _t in _narrative_points(text) if n]
    assert len(in_sample) == len(set(in_sample))
    # 11.7 (the heading) and 11.8-11.14 are the connections the report builds from the priority
    # links, whose links_quote holds them word for word
    links = {f"11.{n}" for n in range(7, 15)}
    assert set(in_seed) - set(in_sample) == links
    assert set(in_sample) <= set(in_seed)
    quotes = [pr["links_quote"] for plan in sample["plans"] for pr in plan["priority"]
              if pr.get("links_quote")]
    assert len(quotes) == 7


def test_figures_are_placed_as_the_seed_numbers_them(sample, seeds):
    by_key = {i["key"]: i for i in sample["indicators"]}
    for text in sample["narratives"]:
        for block in text.get("block", []):
            if block.get("type") == "figure":
                assert block["indicator"] in by_key, block
                number = block["number"]
                spaced = normalise(f"Figure {number}")
                tight = spaced.replace(" (", "(")
                assert spaced in seeds["CLOSURE"] or tight in seeds["CLOSURE"], number


def test_the_bullets_that_point_at_the_narrative_above_have_it(store):
    from tracker.reports.content import ReportOptions, build_report

    ids = tuple(plans.find_plan(store, k).id for k in ("pcp-2016-2020", "pcp-2020-21"))
    report = build_report(store, ReportOptions(ids[0], plan_ids=ids, closure=True))
    pointing = 0
    for chapter in report.appendix.chapters:
        for part in chapter.parts:
            for item in part.commitments:
                for e in item.evidence:
                    if "narrative" in e.text and "above" in e.text:
                        pointing += 1
                        [text] = next(c for c in report.chapters
                                      if c.priority_number == chapter.priority_number).narrative
                        assert text.blocks
    assert pointing == 10  # nine bullets, and the note under the first one


def test_the_office_is_named_in_the_seed(sample, seeds):
    assert normalise(sample["office"]["quote"]) in seeds[sample["office"]["source"]]
    assert sample["office"]["name"] in sample["office"]["quote"]


# --- indicators faithful to the seed ---------------------------------------------------------

INCREASE = ("increase", "rose")
REDUCTION = ("reduction", "fell")

# Every sentence of CLOSURE chapters 4-10 that states an indicator's values or change, with the
# values as the seed writes them and the way it words the change; then four more from the
# foreword, the executive summary and Appendix 1.
SEED_SENTENCES = [
    ("4.5", "confidence-in-policing", ["68.7 per cent", "79 per cent"], [INCREASE]),
    ("5.1", "asb-incidents", ["21 per cent", "2015/16", "2019/20"], [REDUCTION]),
    ("5.1", "asb-incidents", ["almost 50 per cent", "2020/21"], [INCREASE]),
    ("5.2", "asb-incidents", ["52,732", "30,674"], [REDUCTION]),
    ("6.2", "da-incidents", ["30,719", "42,802"], [INCREASE]),
    ("6.4", "da-arrests", ["2015/16", "2017/18", "16,041", "2021/22"], [REDUCTION, INCREASE]),
    ("6.5", "da-offences-solved", ["3,925", "3,134"], [REDUCTION]),
    ("7.4", "violence-with-injury-offences", ["11,680", "15,262"], [INCREASE]),
    ("7.4", "violence-with-injury-offences", ["13,204", "15,706"], [REDUCTION, INCREASE]),
    ("7.5", "violence-with-injury-solved", ["3,763", "2,781"], [REDUCTION]),
    ("7.7", "crime-severity-violence-injury", ["4.6", "8.2", "over the same period"],
     [INCREASE]),
    ("7.8", "knife-enabled-crime", ["755", "1,636"], [INCREASE]),
    ("7.9", "stop-search-weapons", ["378", "3,060"], [INCREASE]),
    ("8.3", "ocg-disruptions", ["83", "281"], [INCREASE]),
    ("9.6", "child-abuse-offences", ["2,404", "6,682"], [INCREASE]),
    ("9.6", "csae-investigations", ["465", "more than 2,682"], [INCREASE]),
    ("9.6", "csa-solved-outcomes", ["200", "395", "2018/19"], [INCREASE, REDUCTION]),
    ("9.6", "child-abuse-solved-rate", ["8.32 per cent", "6.29 per cent"], [REDUCTION]),
    ("10.3", "ksi-road-collisions", ["850", "846"], [("relatively constant",)]),
    ("10.9", "drug-driving", ["57 per cent", "2020/21", "2021/22"], [REDUCTION]),
    ("10.10", "mobile-phone-driving-crime", ["some 92 per cent", "2015/16"], [REDUCTION]),
]
MORE_SENTENCES = [
    ("1.2", "asb-incidents", ["52,732", "30,674", "42 per cent"], [REDUCTION]),
    ("1.6", "all-crime-offences", ["49 per cent"], [INCREASE]),
    ("2.8", "all-crime-offences", ["111,022", "167,226", "148,135", "165,518"],
     [INCREASE, REDUCTION]),
    ("Appendix 1, 7", "ksi-road-collisions", ["850", "641"], [REDUCTION]),
]


@pytest.fixture(scope="module")
def closure_figures(_sample_template):
    from tracker.reports.content import ReportOptions, build_report
    from tracker.store.database import open_store

    s = open_store(_sample_template, mode="read")
    try:
        ids = tuple(plans.find_plan(s, k).id for k in ("pcp-2016-2020", "pcp-2020-21"))
        report = build_report(s, ReportOptions(ids[0], plan_ids=ids, closure=True))
    finally:
        s.close()
    return {i.indicator.key: i for c in report.chapters for i in c.indicators}


@pytest.mark.parametrize("paragraph, key, values, words", SEED_SENTENCES + MORE_SENTENCES,
                         ids=[f"{s[0]}-{s[1]}" for s in SEED_SENTENCES + MORE_SENTENCES])
def test_every_seed_indicator_sentence_is_in_the_report_in_its_words(
        closure_figures, seeds, paragraph, key, values, words):
    item = closure_figures[key]
    said = " ".join(item.sentences)
    missing = [v for v in values if v not in said]
    assert missing == [], said
    for family in words:
        assert any(w in said.lower() for w in family), (family, said)
    assert "no value stated for" not in said  # gaps are the chart's to show


def test_twenty_one_chapter_sentences_are_listed():
    assert len(SEED_SENTENCES) == 21
    assert {s[0].split(".")[0] for s in SEED_SENTENCES} == {"4", "5", "6", "7", "8", "9", "10"}


def test_verdicts_follow_what_the_seed_says(closure_figures):
    assert closure_figures["ksi-road-collisions"].verdict == "about the same"
    assert closure_figures["da-incidents"].verdict == ""  # more reporting is progress too
    assert closure_figures["da-incidents"].is_context
    assert closure_figures["child-abuse-offences"].verdict == ""
    assert closure_figures["asb-incidents"].verdict == "improved"


def test_every_stated_change_is_in_its_seed_paragraph(sample, seeds):
    stated = [(i["key"], c) for i in sample["indicators"] for c in i.get("stated", [])]
    assert len(stated) >= 10
    for key, change in stated:
        assert change["source"].startswith("CLOSURE"), key
        assert normalise(change["quote"]) in seeds["CLOSURE"], (key, change["quote"])
        for field in ("percent", "from_value", "to_value"):
            if field in change:
                assert any(form in change["quote"] for form in _number_forms(change[field])), \
                    (key, field)
        for field in ("from_period", "to_period", "period_words"):
            if field in change:
                assert change[field] in change["quote"], (key, field)
        if "qualifier" in change:
            assert change["qualifier"] in change["quote"], key


def test_qualified_values_keep_their_word(store, seeds):
    rows = store.conn.execute(
        "SELECT qualifier, value, quote FROM indicator_value WHERE qualifier IS NOT NULL"
    ).fetchall()
    assert rows
    for qualifier, value, quote in rows:
        assert any(f"{qualifier} {form}" in quote for form in _number_forms(value))


def test_the_2016_2020_plan_measures_are_named_in_the_seed(store, seeds):
    old = plans.find_plan(store, "pcp-2016-2020")
    found = indicators.list_indicators(store, plan_id=old.id)
    assert {i.key for i in found} == {"violence-with-injury-solved",
                                      "crime-severity-violence-injury", "child-abuse-offences",
                                      "csa-solved-outcomes", "drug-driving"}
    for ind in found:
        assert normalise(ind.name).lower() in seeds["CLOSURE"].lower(), ind.name


@pytest.mark.parametrize("code, reads", [
    ("CLOSURE 5.2", "Police and Crime Plan 2016 to 2021 Closure Report, paragraph 5.2"),
    ("CLOSURE 7.8, unnumbered paragraph after it",
     "Police and Crime Plan 2016 to 2021 Closure Report, the unnumbered paragraph after "
     "paragraph 7.8"),
    ("CLOSURE 7. Reverse the trend in serious violence",
     "Police and Crime Plan 2016 to 2021 Closure Report, chapter 7. Reverse the trend in serious "
     "violence"),
    ("CLOSURE, Appendix 1, 7. Improving safety on our roads",
     "Police and Crime Plan 2016 to 2021 Closure Report, Appendix 1, 7. Improving safety on our "
     "roads"),
    ("EXT, Performance Outcomes and Indicators, Priority 1",
     "Police and Crime Plan 2016-2020: Extension 2020/21, Performance Outcomes and Indicators, "
     "Priority 1"),
    ("EXT", "Police and Crime Plan 2016-2020: Extension 2020/21"),
    ("Essex Police crime data", "Essex Police crime data"),
])
def test_sample_sources_are_stored_as_a_reader_would_cite_them(code, reads):
    assert cited(code) == reads


def test_no_stored_source_uses_the_sample_files_shorthand(store):
    rows = store.conn.execute(
        "SELECT source FROM indicator UNION ALL SELECT source FROM indicator_value "
        "UNION ALL SELECT source FROM stated_change").fetchall()
    assert rows and not [s for (s,) in rows if s and s.split(",")[0].split()[0] in DOCUMENTS]


def _appendix_nested_bullets() -> list[tuple[str, str]]:
    """(parent, child) for every bullet CLOSURE's Appendix 1 indents under another."""
    lines = CLOSURE_FILE.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("Appendix 1. The Prior"))
    found, parent = [], None
    for line in lines[start:]:
        if line.startswith("- "):
            parent = line[2:].strip()
        elif re.match(r"\s+- ", line) and parent:
            found.append((parent, line.strip()[2:].strip()))
    return found


def test_a_bullet_the_seed_indents_under_another_stays_under_it(sample):
    """In its parent's evidence text as a nested list ("- " lines), or, where the parent is one
    of the sub-points CLOSURE restates as a heading, as that sub-point's evidence: never a
    bullet of its own beside the one it belongs under."""
    top_level = {}
    for plan in sample["plans"]:
        for priority in plan["priority"]:
            for c in priority.get("commitment", []):
                for e in c.get("evidence", []):
                    if "subpoint" not in e:
                        top_level[e["text"].split("\n")[0]] = (priority["number"], c.get("code"))
    nested = _appendix_nested_bullets()
    assert len(nested) > 60
    flattened = [(where, child[:60]) for parent, child in nested
                 if (where := top_level.get(child))]
    assert flattened == []


def test_sub_points_restated_in_appendix_1_carry_their_own_evidence(store):
    ext = plans.find_plan(store, "pcp-2020-21")
    three = next(p for p in plans.list_priorities(store, ext.id) if p.number == 3)
    e = next(c for c in commitments.list_commitments(store, three.id) if c.code == "E")
    subs = commitments.children(store, e.id)
    assert [len(evidence.list_evidence(store, s.id)) for s in subs] == [3, 2, 1, 1, 1, 1]
    assert evidence.list_evidence(store, e.id) == []
    first = evidence.list_evidence(store, subs[0].id)[0]
    assert first.text.startswith("In tendering the integrated DA support service in 2019")

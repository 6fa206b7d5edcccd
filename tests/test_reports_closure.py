"""The whole closure report: one report across the plan and its extension, in the published
order, statuses as at a period, the evidenced measure, the carry-forward section."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from reports_helpers import expected_items, html_text, item_texts, normalise

from tracker.cli import main
from tracker.domain.narrative import Paragraph, Section, parse_inline
from tracker.domain.status import Status
from tracker.reports.content import ReportOptions, build_report, combined_title
from tracker.reports.model import IndicatorItem
from tracker.store import commitments, evidence, narrative, plans
from tracker.store.evidence import EvidenceInput

KEYS = ("pcp-2016-2020", "pcp-2020-21")


def closure_options(store, **extra) -> ReportOptions:
    ids = tuple(plans.find_plan(store, k).id for k in reversed(KEYS))  # order is not needed
    return ReportOptions(ids[0], plan_ids=ids, closure=True, **extra)


def appendix_items(report) -> list[str]:
    return item_texts(item for chapter in report.appendix.chapters for part in chapter.parts
                      for item in part.commitments)


def test_one_report_across_both_plans_in_published_order(store):
    report = build_report(store, closure_options(store))
    assert report.front.title == "Police and Crime Plan 2016 to 2021: Closure Report"
    assert [p.key for p in report.front.plans] == list(KEYS)
    assert report.front.language == "en-GB"
    assert [c.priority_number for c in report.chapters] == [1, 2, 3, 4, 5, 6, 7]
    # a chapter carries the first plan's title and both plans' priorities of its number
    serious = report.chapters[3]
    assert serious.title == "Reverse the trend in serious violence"
    assert [cp.plan.key for cp in serious.plans] == list(KEYS)
    numbers = [p.number for p in report.parts if hasattr(p, "number")]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_appendix_holds_every_commitment_and_bullet_of_both_plans_by_chapter(store):
    report = build_report(store, closure_options(store))
    by_chapter = {}
    for key in KEYS:
        for item in expected_items(store, key):
            by_chapter.setdefault(key, []).append(item)
    assert sorted(appendix_items(report)) == sorted(by_chapter[KEYS[0]] + by_chapter[KEYS[1]])
    first = report.appendix.chapters[0]
    assert [p.heading for p in first.parts] == ["Police and Crime Plan 2016-2020",
                                               "Police and Crime Plan Extension 2020/21"]
    assert report.appendix.title == "Appendix 1. The Priorities and \u2018We Wills\u2019"


def test_sub_points_keep_their_own_evidence_and_bullets_their_nested_lists(store):
    ext = plans.find_plan(store, "pcp-2020-21")
    priority = plans.list_priorities(store, ext.id)[0]
    parent = next(c for c in commitments.list_commitments(store, priority.id)
                  if commitments.children(store, c.id))
    sub = commitments.children(store, parent.id)[0]
    evidence.add_evidence(store, sub.id, EvidenceInput(
        "Local crime prevention groups supported.\n- in Colchester\n  - twice\n- in Harlow",
        visibility="shareable"))
    report = build_report(store, closure_options(store))
    part = report.appendix.chapters[0].parts[1]
    item = next(c for c in part.commitments if c.text == parent.text)
    assert not any("Local crime prevention" in e.text for e in item.evidence)
    [own] = item.subpoints[0].evidence
    layout = own.layout
    assert layout.text == "Local crime prevention groups supported."
    [nested] = layout.blocks
    assert [i.text for i in nested.items] == ["in Colchester", "in Harlow"]
    assert [i.text for i in nested.items[0].items] == ["twice"]


def test_the_nested_bullets_of_the_sample_come_out_as_lists(store):
    report = build_report(store, closure_options(store))
    officers = next(e for c in report.appendix.chapters[0].parts[0].commitments
                    for e in c.evidence if e.text.startswith("500 officers recruited"))
    years, after = officers.layout.blocks
    assert [i.text for i in years.items] == ["2017/18 41", "2018/19 150", "2019/20 215",
                                            "2020/21 151"]
    assert after.text == "Further details are set out in the narrative section above."


def test_carry_forward_section_comes_from_the_priority_links(store):
    report = build_report(store, closure_options(store))
    section = report.carry_forward
    assert section.title == "Police and Crime Plan 2021-2024"
    # as the closure report heads them (11.7)
    assert section.links_heading == ("Connections between 2016 to 2021 priorities and 2021 to "
                                     "2024 priorities")
    assert len(section.links) == 7  # the extension's seven priorities (CLOSURE 11.8-11.14)
    six = section.links[5]
    assert [p.number for p in six.later] == [2, 4]
    assert "further developed in the Police and Crime Plan 2021-2024 under 2." in six.sentence
    assert six.note.startswith("The P&CP-E2021 priority to protect children")
    assert report.parts[-2] is section and report.parts[-1] is report.appendix


def test_statuses_as_at_the_end_of_a_period_come_from_the_history(store):
    ext = plans.find_plan(store, "pcp-2020-21")
    plans.set_plan_state(store, ext.id, "active")
    priority = plans.list_priorities(store, ext.id)[0]
    item = commitments.list_commitments(store, priority.id)[0]
    commitments.set_status(store, item.id, Status.ON_TRACK, "Reported in the Q2 return",
                           period="2021/22 Q2")
    now = build_report(store, closure_options(store))
    then = build_report(store, closure_options(store, period_to="2021/22 Q1"))
    later = build_report(store, closure_options(store, period_to="2021/22"))

    def status(report):
        part = report.appendix.chapters[0].parts[1]
        return next(c.status for c in part.commitments if c.text == item.text)

    assert status(now) is Status.ON_TRACK
    assert status(then) is not Status.ON_TRACK
    assert status(later) is Status.ON_TRACK
    assert then.front.as_at == "2021/22 Q1"
    assert "as at the end of 2021/22 Q1" in then.summary.status_sentence


def test_evidenced_is_its_own_measure_by_chapter(store):
    report = build_report(store, closure_options(store))
    summary = report.summary
    assert summary.total == 117
    assert summary.evidenced == sum(r.evidenced for r in summary.rows)
    assert summary.evidenced > 100  # nearly every commitment has evidence of delivery
    assert summary.sentence.startswith(f"{summary.evidenced} of the 117 commitments have "
                                       "evidence of delivery")
    later = build_report(store, closure_options(store, period_from="2022/23"))
    assert later.summary.evidenced == 0  # the sample's evidence speaks for 2016/17-2020/21


def test_narrative_is_placed_with_figures_where_the_text_puts_them(store):
    ext = plans.find_plan(store, "pcp-2020-21")
    old = plans.find_plan(store, "pcp-2016-2020")
    asb = next(i for s in build_report(store, closure_options(store)).chapters
               for i in s.indicators if i.name == "Number of anti-social behaviour incidents")
    from tracker.domain.narrative import FigureRef

    chapter = plans.list_priorities(store, old.id)[1]
    narrative.set_narrative(store, narrative.chapter_place(store, chapter.id), "2021/22", (
        Paragraph(parse_inline("ASB **fell**."), "5.2"),
        FigureRef(asb.indicator.uid, "5 (i)"),
        Paragraph(parse_inline("More text.")),
    ))
    narrative.set_narrative(store, narrative.plan_place(old.id, Section.FOREWORD), "2021/22",
                            (Paragraph(parse_inline("In 2016, the public demanded better.")),))
    report = build_report(store, closure_options(store))
    assert report.foreword.heading == "1. Foreword"
    assert report.executive_summary.number == 2
    two = report.chapters[1]
    kinds = [type(p).__name__ for p in two.body]
    assert kinds[:3] == ["Paragraph", "IndicatorItem", "Paragraph"]
    figure = two.body[1]
    assert isinstance(figure, IndicatorItem) and figure.number == "5 (i)"
    assert figure.caption.startswith("Figure 5 (i): Number of anti-social behaviour incidents")
    assert ext.id != old.id


def test_combined_titles():
    from tracker.domain.model import Plan, PlanState

    a = Plan(1, "a", "a", "Police and Crime Plan 2016-2020", "2016-2020", PlanState.CLOSED)
    b = Plan(2, "b", "b", "Police and Crime Plan Extension 2020/21", "2020/21", PlanState.CLOSED)
    c = Plan(3, "c", "c", "Roads Strategy", "2022", PlanState.ACTIVE)
    assert combined_title([a, b]) == "Police and Crime Plan 2016 to 2021: Closure Report"
    assert combined_title([a, c], closure=False) == \
        "Police and Crime Plan 2016-2020 and Roads Strategy: Progress Report"
    assert combined_title([a]) == "Police and Crime Plan 2016-2020: Closure Report"


def test_cli_writes_one_report_across_plans_and_plan_still_works(sample_db, tmp_path, capsys,
                                                                  qapp):
    out = tmp_path / "closure.html"
    code = main(["report", "--db", str(sample_db), "--plans", ",".join(KEYS), "--closure",
                 "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert "Police and Crime Plan 2016 to 2021: Closure Report" in capsys.readouterr().out
    text = normalise(" ".join(html_text(out).parts))
    assert "Reverse the trend in serious violence" in text
    assert "Tackling Gangs and Serious Violence" in text
    single = tmp_path / "one.html"
    assert main(["report", "--db", str(sample_db), "--plan", KEYS[1], "--out", str(single)]) == 0
    assert main(["report", "--db", str(sample_db), "--plan", KEYS[1], "--plans", KEYS[0],
                 "--out", str(single)]) == 1
    assert "not both" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["nope", ","])
def test_cli_plans_refusals(sample_db, tmp_path, capsys, bad):
    out = tmp_path / "x.html"
    assert main(["report", "--db", str(sample_db), "--plans", bad, "--out", str(out)]) == 1
    assert capsys.readouterr().err.strip()
    assert not out.exists()


def test_the_report_dialog_chooses_several_plans(qtbot, store):
    from tracker.ui.report_dialog import ReportDialog

    old, ext = (plans.find_plan(store, k) for k in KEYS)
    dialog = ReportDialog(store, old.id)
    qtbot.addWidget(dialog)
    assert dialog.options().plan_ids == ()  # one plan until another is ticked
    [item] = [dialog.also_list.item(i) for i in range(dialog.also_list.count())
              if dialog.also_list.item(i).data(Qt.ItemDataRole.UserRole) == ext.id]
    item.setCheckState(Qt.CheckState.Checked)
    options = dialog.options()
    assert set(options.plan_ids) == {old.id, ext.id}
    assert dialog.priority_list.count() == 7  # one chapter per priority number
    assert "Police and Crime Plan 2016 to 2021 - Closure Report" in dialog.path_edit.text()
    report = build_report(store, options)
    assert [p.key for p in report.front.plans] == list(KEYS)
    assert "of 2 plans" in report.summary_sentence


def test_qualified_values_keep_their_word_in_the_chart_text_and_the_values_table(store):
    from tracker.domain.series import chart_data
    from tracker.reports.chart_text import chart_alt

    item = next(i for c in build_report(store, closure_options(store)).chapters
                for i in c.indicators if i.indicator.key == "csae-investigations")
    alt = chart_alt(chart_data(item.indicator, list(item.values)))
    assert "more than 2,682 in 2021/22" in alt
    assert "more than 2,682" in item.change and item.latest == "more than 2,682 in 2021/22"


def test_a_status_from_a_partner_return_speaks_for_its_round(store, tmp_path):
    from test_exchange_support import ROUND, answer, edit, export

    from tracker import ops
    from tracker.exchange import layout
    from tracker.exchange.return_preview import preview_return

    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {answer(layout.COMMITMENTS, "new_status", 2):
                                                 "Complete"})
    ops.apply_return(store, preview_return(store, filled))
    [(commitment_id, period)] = store.execute(
        "SELECT commitment_id, period FROM status_change WHERE return_id IS NOT NULL").fetchall()
    assert period == ROUND  # "2020/21 Q4"
    ext = plans.find_plan(store, "pcp-2020-21")
    at_round = build_report(store, ReportOptions(ext.id, period_to=ROUND))
    before = build_report(store, ReportOptions(ext.id, period_to="2020/21 Q3"))
    text = commitments.get_commitment(store, commitment_id).text

    def status(report):
        return next(c.status for s in report.priorities for c in s.commitments if c.text == text)

    assert status(at_round) is Status.COMPLETE
    assert status(before) is not Status.COMPLETE


def _source_lines(store) -> dict[str, str]:
    """Each figure's source line (charts and figures stated only in words), by caption."""
    from tracker.reports.document import FigureBlock
    from tracker.reports.document import Paragraph as Para
    from tracker.reports.figures import ReportFigures
    from tracker.reports.layout import layout_report

    with ReportFigures() as figures:
        document = layout_report(build_report(store, closure_options(store)), figures)
    lines, caption = {}, None
    for block in document.blocks:
        if isinstance(block, FigureBlock):
            lines[block.caption] = block.source
        elif isinstance(block, Para):
            text = "".join(r.text for r in block.runs)
            if text.startswith("Figure "):
                caption = text
            elif text.startswith("Source: ") and caption:
                lines[caption], caption = text, None
    return lines


def test_sources_name_the_document_and_paragraph_a_reader_can_find(store):
    lines = _source_lines(store)
    assert lines, "no figure has a source line"
    closure = "Police and Crime Plan 2016 to 2021 Closure Report"
    asb = next(v for k, v in lines.items() if "anti-social behaviour incidents" in k)
    assert asb == f"Source: {closure}, paragraphs 5.1 and 5.2."
    homicides = next(v for k, v in lines.items() if "homicides" in k)
    assert homicides == f"Source: {closure}, paragraph 7.6."
    # the sample's own shorthand for its two documents never reaches a reader
    assert not [v for v in lines.values() if v and ("CLOSURE" in v or "EXT" in v.split())]


def test_the_cover_names_the_plans_once_each_without_the_trackers_states(store):
    # was "Police and Crime Plan 2016-2020 (2016-2020), closed; Police and Crime Plan Extension
    # 2020/21 (2020/21), active": a period the title already gives, and a closure report calling
    # a plan it closes active
    report = build_report(store, closure_options(store))
    assert report.subtitle == ("Police and Crime Plan 2016-2020 and Police and Crime Plan "
                               "Extension 2020/21")
    ext = plans.find_plan(store, "pcp-2020-21")
    progress = build_report(store, ReportOptions(ext.id, closure=False))
    assert progress.subtitle == "Police and Crime Plan Extension 2020/21"

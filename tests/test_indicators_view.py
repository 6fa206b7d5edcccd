"""The indicators view in a plain host widget: panels against the store, filters, the lazy grid,
and the detail dialog's table edits, refusals, undo, definition and export."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from accessibility import label_shows
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from tracker import ops
from tracker.domain.model import Polarity, Series, Unit, ValueState
from tracker.domain.wording import Direction
from tracker.reports.charts import DIRECTION_COLOURS
from tracker.store import indicators, partners, plans
from tracker.store.indicators import ValueInput
from tracker.ui.indicators import IndicatorDialog, IndicatorsView
from tracker.ui.indicators.values_model import NOTE, PERIOD, SERIES, STATE, VALUE

GREEN = DIRECTION_COLOURS[Direction.IMPROVED]
RED = DIRECTION_COLOURS[Direction.WORSENED]


@pytest.fixture
def host():
    """A plain widget to hold the view, as a tab of the main window would."""
    widget = QWidget()
    QVBoxLayout(widget).setContentsMargins(0, 0, 0, 0)
    widget.resize(1400, 900)
    return widget


def show_view(qtbot, host, store) -> IndicatorsView:
    view = IndicatorsView(store, host)
    host.layout().addWidget(view)
    # pytest-qt closes the host before fixtures end: the plots must go first (pyqtgraph).
    qtbot.addWidget(host, before_close_func=lambda _widget: view.shutdown())
    with qtbot.waitExposed(host):
        host.show()
    return view


@pytest.fixture
def view(host, store, qtbot):
    return show_view(qtbot, host, store)


def indicator_named(store, name):
    return next(i for i in indicators.list_indicators(store) if i.name == name)


def only_panel(qtbot, view, text):
    """The one panel whose title holds text (the name filter narrows the grid to it). The grid
    reads its charts on a thread and draws them a few per event-loop turn: wait until drawn."""
    view.search.setText(text)

    def drawn():
        return [p for p in view.grid.panels() if text.lower() in p.title.text().lower()]

    qtbot.waitUntil(lambda: view.grid.waiting() == 0 and len(drawn()) > 0)
    panels = drawn()
    assert len(panels) == 1, [p.title.text() for p in panels]
    return panels[0]


def scatter_points(plot_item):
    return [(s.pos().x(), s.pos().y()) for item in plot_item.items
            if isinstance(item, pg.ScatterPlotItem) for s in item.points()]


@pytest.fixture
def open_dialog(view, qtbot):
    def opener(name):
        panel = only_panel(qtbot, view, name)
        panel.setFocus()
        qtbot.keyClick(panel, Qt.Key.Key_Return)
        assert len(view.dialogs) == 1
        return view.dialogs[0]
    return opener


# --- the grid against the store ---------------------------------------------------------


def sample_indicators(plan_key: str, priority: int | None = None) -> list[dict]:
    """The sample's indicators as its source file lists them, in priority and number order:
    what the grid must show, found without the queries the view itself runs."""
    import tomllib

    from tracker.store.sample import sample_folder

    found = tomllib.loads(sample_folder().joinpath("indicators.toml").read_text("utf-8"))["indicator"]
    chosen = [i for i in found if i["plan"] == plan_key
              and (priority is None or i["priority"] == priority)]
    return sorted(chosen, key=lambda i: (i["priority"], i["number"]))


def drawn_panels(qtbot, view):
    """The panels on screen once the grid has drawn them (a few per event-loop turn)."""
    qtbot.waitUntil(lambda: view.grid.waiting() == 0 and bool(view.grid.panels()))
    return view.grid.panels()


def test_panels_show_the_store_indicators_of_the_plan(view, store, qtbot):
    plan = next(p for p in plans.list_plans(store) if "Extension" in p.title)
    assert view.plan_id == plan.id  # the extension, whose indicators the closure report shows
    expected = [i["name"] for i in sample_indicators("pcp-2020-21")]
    assert len(expected) == 27
    assert [item.indicator.name for item in view.items()] == expected
    on_screen = drawn_panels(qtbot, view)
    assert [p.title.text() for p in on_screen] == expected[:len(on_screen)]
    with_values = sum(1 for i in sample_indicators("pcp-2020-21") if i.get("value"))
    assert view.count_label.text() == f"27 indicators, {with_values} with values"


def test_the_filter_bar_fits_a_small_laptop_screen(view, qtbot):
    """A 1366 x 768 laptop at 125% scaling gives the window 1,093 pixels: the filter bar's
    plan and priority boxes shrink (the full plan name stays in the tooltip), so showing the
    tab never widens the window past it."""
    qtbot.waitUntil(lambda: not view.loading())
    assert view.minimumSizeHint().width() <= 1093
    assert view.plan_box.toolTip() == view.plan_box.currentText() != ""


def test_panel_draws_the_store_values_with_gaps_and_baseline(view, store, qtbot):
    ind = indicator_named(store, "Number of all crime offences")
    panel = only_panel(qtbot, view, "all crime offences")
    stored = indicators.list_values(store, ind.id)
    periods = panel.data.periods
    assert periods == ["2015/16", "2016/17", "2017/18", "2018/19", "2019/20", "2020/21", "2021/22"]
    assert sorted(scatter_points(panel.plot.getPlotItem())) == sorted(
        (periods.index(v.period), v.value) for v in stored)
    baseline = [item for item in panel.plot.getPlotItem().items if isinstance(item, pg.InfiniteLine)]
    assert [(b.value(), b.label.toPlainText()) for b in baseline] == [
        (111022, "Baseline 2015/16: 111,022")]


def test_headline_lower_is_better_improvement_is_green(view, qtbot):
    panel = only_panel(qtbot, view, "anti-social behaviour incidents")
    text = panel.headline.text()
    assert "Improved:" in text and GREEN in text
    assert "From 52,732 in 2015/16 to 30,674 in 2021/22, a reduction of 42 per cent." in text
    assert "lower is better" in panel.meta.text()


def test_headline_lower_is_better_increase_is_red(view, qtbot):
    text = only_panel(qtbot, view, "Knife-enabled crime").headline.text()
    assert "Worsened:" in text and RED in text
    assert "From 755 in 2015/16 to 1,636 in 2021/22, an increase of 117 per cent." in text
    # reported domestic abuse is a context measure: more reporting is progress too
    text = only_panel(qtbot, view, "Number of incidents of domestic abuse").headline.text()
    assert "No better direction:" in text and RED not in text
    assert "From 30,719 in 2015/16 to 42,802 in 2021/22, an increase of 39 per cent." in text


def test_headline_higher_is_better_both_ways(view, qtbot):
    text = only_panel(qtbot, view, "confidence in policing in Essex").headline.text()
    assert "Improved:" in text and GREEN in text
    assert "an increase of 10.3 percentage points" in text
    text = only_panel(qtbot, view, "domestic abuse offences solved").headline.text()
    assert "Worsened:" in text and RED in text
    assert "From 3,925 in 2015/16 to 3,134 in 2021/22, a reduction of 20 per cent." in text


def test_filter_by_priority_and_plan(view, store, qtbot):
    plan_id = view.plan_id
    second = next(p for p in plans.list_priorities(store, plan_id) if p.number == 3)
    view.set_priority(second.id)
    expected = [i["name"] for i in sample_indicators("pcp-2020-21", priority=3)]
    assert expected[0] == "Number of incidents of domestic abuse" and len(expected) == 5
    assert [d.indicator.name for d in view.items()] == expected
    assert all(p.meta.text().startswith("Priority 3") for p in drawn_panels(qtbot, view))
    other = plans.find_plan(store, "pcp-2021-2024")  # a plan with no indicators
    view.set_plan(other.id)
    assert view.items() == []
    assert view.grid.empty.isVisibleTo(view)
    assert view.count_label.text() == "0 indicators, 0 with values"


def test_store_edit_outside_the_view_shows_after_refresh(view, store, qtbot):
    ind = indicator_named(store, "Number of domestic abuse arrests")
    indicators.set_value(store, ind.id, ValueInput("2020/21", 15000))
    view.refresh()
    text = only_panel(qtbot, view, "domestic abuse arrests").headline.text()
    assert "From 15,000 in 2020/21 to 16,041 in 2021/22" in text


def test_the_grid_builds_only_the_panels_in_sight(qtbot, host, empty_store):
    plan_id = plans.add_plan(empty_store, "Test plan", "2021-2024")
    priority_id = plans.add_priority(empty_store, plan_id, 1, "Safer streets")
    for n in range(60):
        iid = indicators.add_indicator(empty_store, priority_id, f"Indicator {n:02d}")
        indicators.set_value(empty_store, iid, ValueInput("2020/21", n))
        indicators.set_value(empty_store, iid, ValueInput("2021/22", n + 1))
    view = show_view(qtbot, host, empty_store)
    assert len(view.items()) == 60
    assert view.grid.pool_size() < 30
    bar = view.grid.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: view.grid.waiting() == 0)  # a page's charts, a few per turn
    titles = [p.title.text() for p in view.grid.panels() if p.isVisible()]
    assert "Indicator 59" in titles
    assert view.grid.pool_size() < 30
    last = view.grid.panel_for(view.items()[-1].indicator.id)
    assert sorted(scatter_points(last.plot.getPlotItem())) == [(0, 59), (1, 60)]
    # Keyboard: Home goes back to the first panel and Enter opens it.
    view.grid.setFocus()
    qtbot.keyClick(view.grid, Qt.Key.Key_Home)
    assert bar.value() == 0
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    assert [d.indicator_id for d in view.dialogs] == [view.items()[0].indicator.id]


# --- the dialog: values table -----------------------------------------------------------


def test_enter_on_a_panel_opens_the_larger_chart_and_its_values(open_dialog, store):
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    assert dialog.indicator_id == ind.id
    model = dialog.model
    rows = [(model.index(r, PERIOD).data(), model.index(r, VALUE).data(),
             model.index(r, NOTE).data()) for r in range(model.rowCount())]
    assert rows == [("2015/16", "111,022", ""), ("2019/20", "167,226", ""),
                    ("2020/21", "148,135", "COVID lockdown period."), ("2021/22", "165,518", "")]
    assert dialog.plot.getPlotItem().legend is None or not dialog.plot.getPlotItem().legend.isVisible()


def test_editing_a_value_writes_the_store_and_redraws_at_once(open_dialog, view, store):
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    assert dialog.model.setData(dialog.model.index(3, VALUE), "150,000")
    stored = {v.period: v.value for v in indicators.list_values(store, ind.id)}
    assert stored["2021/22"] == 150000
    assert (6, 150000) in scatter_points(dialog.plot.getPlotItem())
    panel = view.grid.panel_for(ind.id)
    assert (6, 150000) in scatter_points(panel.plot.getPlotItem())
    assert "to 150,000 in 2021/22" in panel.headline.text()
    dialog.undo_stack.undo()
    assert {v.period: v.value for v in indicators.list_values(store, ind.id)}["2021/22"] == 165518
    assert "to 165,518 in 2021/22" in panel.headline.text()
    dialog.undo_stack.redo()
    assert {v.period: v.value for v in indicators.list_values(store, ind.id)}["2021/22"] == 150000


def test_typing_into_the_table_edits_the_value(open_dialog, store, qtbot):
    dialog = open_dialog("all crime offences")
    table = dialog.table
    index = dialog.model.index(2, VALUE)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.viewport().findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "140000")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on Return through a queued call
    ind = indicator_named(store, "Number of all crime offences")
    assert {v.period: v.value for v in indicators.list_values(store, ind.id)}["2020/21"] == 140000


@pytest.mark.parametrize(("column", "text", "message"), [
    (VALUE, "lots", "Row 2 (2019/20, actual): 'lots' is not a number."),
    (PERIOD, "2019/2x", "Row 2 (2019/20, actual): '2019/2x' is not a period"),
    (PERIOD, "2015/16", "Row 2 (2019/20, actual): 2015/16 already has a value in the actual series"),
])
def test_bad_cell_edits_are_refused_naming_the_row(open_dialog, store, column, text, message):
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    before = indicators.list_values(store, ind.id)
    assert not dialog.model.setData(dialog.model.index(1, column), text)
    assert dialog.error.text().startswith(message)
    assert dialog.error.text().endswith("Nothing was saved.")
    assert indicators.list_values(store, ind.id) == before
    assert not dialog.undo_stack.canUndo()


def test_a_percentage_over_100_is_refused(open_dialog, store):
    dialog = open_dialog("confidence in policing in Essex")
    ind = indicator_named(store, "Percentage of people who have confidence in policing in Essex")
    before = indicators.list_values(store, ind.id)
    assert not dialog.model.setData(dialog.model.index(0, VALUE), "168.7")
    assert dialog.error.text() == ("Row 1 (2017/18, actual): 168.7 is not a percentage between "
                                   "0 and 100. Nothing was saved.")
    assert indicators.list_values(store, ind.id) == before


def test_add_a_value_from_the_form_then_undo(open_dialog, store):
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    dialog.new_period.setText("2017-18")
    dialog.new_value.setText("130000")
    dialog.new_state.setCurrentIndex(dialog.new_state.findData(ValueState.PROVISIONAL))
    dialog.new_note.setText("from the force's quarterly return")
    dialog.add_button.click()
    added = [v for v in indicators.list_values(store, ind.id) if v.period == "2017/18"]
    assert [(v.value, v.state, v.note) for v in added] == [
        (130000, ValueState.PROVISIONAL, "from the force's quarterly return")]
    assert dialog.model.rowCount() == 5
    assert dialog.model.index(1, PERIOD).data() == "2017/18"
    assert dialog.new_period.text() == ""
    dialog.undo_stack.undo()
    assert [v.period for v in indicators.list_values(store, ind.id)] == [
        "2015/16", "2019/20", "2020/21", "2021/22"]


def test_adding_a_duplicate_or_unparsable_period_is_refused(open_dialog, store):
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    before = indicators.list_values(store, ind.id)
    dialog.new_period.setText("2019/20")
    dialog.new_value.setText("1")
    assert not dialog.add_from_form()
    assert dialog.error.text().startswith(
        "New row (2019/20): 2019/20 already has a value in the actual series")
    dialog.new_period.setText("Spring 2020")
    assert not dialog.add_from_form()
    assert dialog.error.text().startswith("New row (Spring 2020): 'Spring 2020' is not a period")
    assert indicators.list_values(store, ind.id) == before


def test_same_period_in_another_series_is_allowed(open_dialog, store):
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    dialog.new_period.setText("2019/20")
    dialog.new_series.setCurrentIndex(dialog.new_series.findData(Series.COMPARISON))
    dialog.new_value.setText("150000")
    assert dialog.add_from_form()
    comparison = indicators.list_values(store, ind.id, Series.COMPARISON)
    assert [(v.period, v.value) for v in comparison] == [("2019/20", 150000)]
    assert dialog.data.comparison.values[4] == 150000


def test_series_and_state_edits_and_withheld_stays_out_of_exports(open_dialog, store, tmp_path):
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    assert dialog.model.setData(dialog.model.index(3, STATE), "withheld")
    assert {v.period: v.state for v in indicators.list_values(store, ind.id)}["2021/22"] \
        is ValueState.WITHHELD
    assert dialog.model.index(3, STATE).data() == "Withheld (never exported)"
    assert [p.period for p in dialog.data.withheld] == ["2021/22"]
    svg = dialog.export_chart(tmp_path / "crime.svg").read_text()
    assert "165,518" not in svg and "165518" not in svg
    assert "Worsened" in svg  # the headline now ends at 2020/21: 111,022 -> 148,135
    assert dialog.model.setData(dialog.model.index(0, SERIES), "comparison")
    assert [v.series for v in indicators.list_values(store, ind.id, Series.COMPARISON)] == [
        Series.COMPARISON]


def test_delete_selected_rows_and_undo(open_dialog, store):
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    before = indicators.list_values(store, ind.id)
    dialog.table.selectRow(1)
    dialog.delete_button.click()
    assert [v.period for v in indicators.list_values(store, ind.id)] == [
        "2015/16", "2020/21", "2021/22"]
    dialog.undo_stack.undo()
    after = indicators.list_values(store, ind.id)
    assert [(v.uid, v.period, v.value) for v in after] == [
        (v.uid, v.period, v.value) for v in before]


# --- the dialog: definition and export --------------------------------------------------


def test_definition_edit_changes_polarity_target_and_partners(open_dialog, view, store):
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    dialog.polarity_box.setCurrentIndex(dialog.polarity_box.findData(Polarity.HIGHER_IS_BETTER.value))
    dialog.target_edit.setText("170,000")
    dialog.target_period_edit.setText("2023-24")
    for i in range(dialog.partner_list.count()):
        dialog.partner_list.item(i).setCheckState(Qt.CheckState.Checked)
    assert dialog.apply_definition()
    changed = indicators.get_indicator(store, ind.id)
    assert (changed.polarity, changed.target_value, changed.target_period) == (
        Polarity.HIGHER_IS_BETTER, 170000, "2023/24")
    assert len(partners.indicator_partner_ids(store, ind.id)) == dialog.partner_list.count()
    panel = view.grid.panel_for(ind.id)
    assert "Improved:" in panel.headline.text() and GREEN in panel.headline.text()
    targets = [line.value() for line in panel.plot.getPlotItem().items
               if isinstance(line, pg.InfiniteLine)]
    assert 170000 in targets
    dialog.undo_stack.undo()
    restored = indicators.get_indicator(store, ind.id)
    assert (restored.polarity, restored.target_value) == (Polarity.LOWER_IS_BETTER, None)
    assert partners.indicator_partner_ids(store, ind.id) == [
        p.id for p in partners.list_partners(store) if p.key == "essex-police"]


def test_a_band_makes_a_small_change_read_about_the_same(open_dialog, view, store):
    dialog = open_dialog("killed or seriously injured")
    ind = indicator_named(store, "All people killed or seriously injured (KSI) in road collisions")
    panel = view.grid.panel_for(ind.id)
    assert "About the same:" in panel.headline.text()  # the sample's band: 850 to 846
    assert dialog.band_edit.text() == "1"
    dialog.band_edit.setText("")
    assert dialog.apply_definition()
    assert indicators.get_indicator(store, ind.id).steady_band is None
    assert "Improved:" in view.grid.panel_for(ind.id).headline.text()
    dialog.band_edit.setText("-2")
    assert not dialog.apply_definition()
    assert "cannot be negative" in dialog.error.text()


@pytest.mark.parametrize(("field", "text", "message"), [
    ("name_edit", "  ", "Definition: An indicator needs a name."),
    ("target_edit", "a lot", "Definition: The target 'a lot' is not a number."),
    ("baseline_edit", "2015/17", "Definition: The baseline: '2015/17' is not a financial year"),
])
def test_bad_definition_is_refused(open_dialog, store, field, text, message):
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    getattr(dialog, field).setText(text)
    assert not dialog.apply_definition()
    assert dialog.error.text().startswith(message)
    assert indicators.get_indicator(store, ind.id) == ind


def test_percentage_target_over_100_is_refused(open_dialog, store):
    dialog = open_dialog("confidence in policing in Essex")
    dialog.target_edit.setText("120")
    assert not dialog.apply_definition()
    assert "not a percentage between 0 and 100" in dialog.error.text()


def test_export_png_svg_and_copy(open_dialog, tmp_path, monkeypatch):
    dialog = open_dialog("anti-social behaviour incidents")
    monkeypatch.setattr(IndicatorDialog, "ask_export_path",
                        classmethod(lambda cls, parent, fmt, name: str(tmp_path / f"asb.{fmt}")))
    dialog.export_png.click()
    dialog.export_svg.click()
    assert (tmp_path / "asb.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "asb.svg").read_bytes()[:300]
    dialog.copy_button.click()
    image = QApplication.clipboard().image()
    assert not image.isNull() and image.width() == 1000


def test_the_dialog_shows_a_name_as_it_was_typed(qtbot, store):
    ind = indicator_named(store, "Knife-enabled crime")
    ops.edit_indicator(store, ind.id, {"name": "Victims' satisfaction & trust"})
    dialog = IndicatorDialog(store, ind.id)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.dispose())
    assert label_shows(dialog.title) == "Victims' satisfaction & trust"


def test_dialog_works_without_a_view(qtbot, store):
    ind = indicator_named(store, "Knife-enabled crime")
    dialog = IndicatorDialog(store, ind.id)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.dispose())
    assert dialog.model.setData(dialog.model.index(0, VALUE), "700")
    assert indicators.list_values(store, ind.id)[0].value == 700
    assert (0, 700) in scatter_points(dialog.plot.getPlotItem())
    dialog.undo_stack.undo()
    assert indicators.list_values(store, ind.id)[0].value == 755


def test_unit_change_is_reflected_in_the_values_table(open_dialog, store):
    dialog = open_dialog("Knife-enabled crime")
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData(Unit.POUNDS.value))
    assert dialog.apply_definition()
    assert dialog.model.index(0, VALUE).data() == "£755"


def test_arrow_keys_move_between_panels_and_scroll(view, qtbot):
    drawn_panels(qtbot, view)
    view.grid.setFocus()
    qtbot.keyClick(view.grid, Qt.Key.Key_Right)
    assert view.grid.current == 0
    qtbot.keyClick(view.grid, Qt.Key.Key_Right)
    assert view.grid.current == 1
    columns = view.grid.columns
    for _ in range(6):
        qtbot.keyClick(view.grid, Qt.Key.Key_Down)
    assert view.grid.current == 1 + 6 * columns
    indicator_id = view.items()[view.grid.current].indicator.id
    qtbot.waitUntil(lambda: view.grid.waiting() == 0)  # the page scrolled to, drawn
    focused = view.grid.panel_for(indicator_id)
    assert focused is not None and focused.isVisible()
    assert view.grid.verticalScrollBar().value() > 0


def test_read_only_store_shows_values_but_refuses_edits(qtbot, host, sample_db):
    from tracker.store.database import open_store
    read_only = open_store(sample_db, mode="read")
    try:
        view = show_view(qtbot, host, read_only)
        dialog = view.open_indicator(view.items()[2].indicator.id)
        assert not dialog.add_button.isEnabled()
        assert not (dialog.model.flags(dialog.model.index(0, VALUE)) & Qt.ItemFlag.ItemIsEditable)
        assert dialog.error.text().startswith("Read-only")
    finally:
        view.shutdown()
        read_only.close()


def test_panel_menu_exports_and_copies_without_opening(view, store, tmp_path, monkeypatch):
    ind = indicator_named(store, "Number of anti-social behaviour incidents")
    indicators.set_value(store, ind.id, ValueInput("2018/19", 99999, state=ValueState.WITHHELD))
    monkeypatch.setattr(IndicatorsView, "ask_export_path",
                        staticmethod(lambda parent, fmt, name: str(tmp_path / name)))
    view.panel_action("svg", ind.id)
    svg = (tmp_path / "Number of anti-social behaviour incidents.svg").read_text()
    assert "52,732" in svg and "99,999" not in svg
    view.panel_action("png", ind.id)
    assert (tmp_path / "Number of anti-social behaviour incidents.png").read_bytes()[:4] == \
        b"\x89PNG"
    QApplication.clipboard().clear()
    view.panel_action("copy", ind.id)
    assert QApplication.clipboard().image().width() == 1000
    assert view.dialogs == []
    view.panel_action("open", ind.id)
    assert [d.indicator_id for d in view.dialogs] == [ind.id]


def test_pasting_spreadsheet_rows_adds_them_all_in_one_undo_step(open_dialog, store, qtbot):
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    QApplication.clipboard().setText("2016-17\t120,000\tfrom the force\tER 2017\r\n"
                                     "2017/18\t130000\r\n\r\n")
    dialog.table.setFocus()
    dialog.paste_button.click()
    values = {v.period: (v.value, v.note, v.source) for v in indicators.list_values(store, ind.id)}
    assert values["2016/17"] == (120000, "from the force", "ER 2017")
    assert values["2017/18"] == (130000, None, None)
    assert dialog.data.actual.values[:4] == [111022, 120000, 130000, None]
    dialog.undo_stack.undo()
    assert [v.period for v in indicators.list_values(store, ind.id)] == [
        "2015/16", "2019/20", "2020/21", "2021/22"]


@pytest.mark.parametrize(("text", "message"), [
    ("2016/17\t1\n2017/18\tabout 5\n", "Pasted line 2 (2017/18): 'about 5' is not a number."),
    ("2016/17\t1\n2016-17\t2\n", "Pasted line 2 (2016-17): 2016/17 is also on pasted line 1 "
                                 "for the actual series."),
    ("2016/17\t1\n2021/22\t2\n", "Pasted line 2 (2021/22): 2021/22 already has a value"),
    ("Year 3\t1\n", "Pasted line 1 (Year 3): 'Year 3' is not a period"),
])
def test_a_bad_pasted_row_refuses_the_whole_paste(open_dialog, store, text, message):
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    before = indicators.list_values(store, ind.id)
    assert not dialog.paste_rows(text)
    assert dialog.error.text().startswith(message)
    assert dialog.error.text().endswith("Nothing was saved.")
    assert indicators.list_values(store, ind.id) == before


def test_values_model_passes_the_qt_model_tester(store, qtmodeltester, qtbot):
    from PySide6.QtWidgets import QWidget

    from tracker.ui.history import own_history
    from tracker.ui.indicators.values_model import ValuesModel
    ind = indicator_named(store, "Number of all crime offences")
    owner = QWidget()
    qtbot.addWidget(owner)
    model = ValuesModel(store, ind, own_history(store, owner)[0], owner)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 4


# --- issue 14: the dialog's own undo gone, the state reset, no editor warning, hide empty ------


def test_hiding_indicators_with_no_values_leaves_only_those_with_values(view, store, qtbot):
    everything = view.items()
    with_values = [d.indicator.name for d in everything if d.has_values]
    assert 0 < len(with_values) < len(everything)  # the sample has some of each
    qtbot.mouseClick(view.hide_empty, Qt.MouseButton.LeftButton)
    assert view.hide_empty.isChecked()
    assert [d.indicator.name for d in view.items()] == with_values
    assert all(p.data.has_values for p in drawn_panels(qtbot, view))
    assert view.count_label.text().endswith(f"{len(with_values)} with values")
    view.hide_empty.setChecked(False)
    assert len(view.items()) == len(everything)


def test_the_dialog_has_no_undo_buttons_of_its_own_and_ctrl_z_undoes(open_dialog, store, qtbot):
    from PySide6.QtWidgets import QPushButton

    dialog = open_dialog("all crime offences")
    names = {b.text().replace("&", "") for b in dialog.findChildren(QPushButton)}
    assert not names & {"Undo", "Redo"}
    ind = indicator_named(store, "Number of all crime offences")
    assert dialog.model.setData(dialog.model.index(0, NOTE), "checked against the force's return")
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert indicators.list_values(store, ind.id)[0].note != "checked against the force's return"


def test_the_state_goes_back_to_final_after_a_value_is_added(open_dialog, store):
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    dialog.new_period.setText("2016/17")
    dialog.new_value.setText("120000")
    dialog.new_state.setCurrentIndex(dialog.new_state.findData(ValueState.WITHHELD))
    dialog.add_button.click()
    assert {v.period: v.state for v in indicators.list_values(store, ind.id)}["2016/17"] is (
        ValueState.WITHHELD)
    assert ValueState(dialog.new_state.currentData()) is ValueState.FINAL
    dialog.new_period.setText("2017/18")
    dialog.new_value.setText("130000")
    dialog.add_button.click()
    assert {v.period: v.state for v in indicators.list_values(store, ind.id)}["2017/18"] is (
        ValueState.FINAL)


def test_the_state_cell_is_edited_through_its_drop_down_without_a_qt_warning(open_dialog, store,
                                                                             qtbot):
    from PySide6.QtWidgets import QComboBox

    dialog = open_dialog("all crime offences")
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    table = dialog.table
    index = dialog.model.index(2, STATE)
    table.setCurrentIndex(index)
    table.setFocus()
    table.edit(index)
    editor = table.viewport().findChild(QComboBox)
    editor.setFocus()
    editor.setCurrentIndex(editor.findData(ValueState.WITHHELD.value))
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # a warning here fails the test (qt_log_level_fail)
    ind = indicator_named(store, "Number of all crime offences")
    # The delegate commits on Return through a queued call.
    qtbot.waitUntil(lambda: indicators.list_values(store, ind.id)[2].state is ValueState.WITHHELD)
    qtbot.waitUntil(lambda: dialog.model.index(2, STATE).data() == "Withheld (never exported)")
    assert table.state() != table.State.EditingState

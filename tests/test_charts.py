"""What configure_plot draws into a pyqtgraph plot, and render_chart's PNG and SVG."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor, QImage

from tracker.domain.model import (
    Frequency,
    Indicator,
    IndicatorValue,
    Polarity,
    Series,
    Unit,
    ValueState,
)
from tracker.domain.series import chart_data
from tracker.reports.charts import (
    ACTUAL_COLOUR,
    BACKGROUND,
    COMPARISON_COLOUR,
    configure_plot,
    dispose_plot_widget,
    make_plot_widget,
    render_chart,
)
from tracker.store import indicators


def make_indicator(unit=Unit.COUNT, polarity=Polarity.LOWER_IS_BETTER, baseline="2015/16",
                   target_value=None, target_period=None) -> Indicator:
    return Indicator(7, "u7", 1, None, 1, "Knife-enabled crime", unit, polarity, Frequency.ANNUAL,
                     baseline, target_value, target_period)


def v(period, number, series=Series.ACTUAL, state=ValueState.FINAL, note=None, source=None):
    v.n += 1
    return IndicatorValue(v.n, f"x{v.n}", 7, period, series, number, state, note, source)


v.n = 0


@pytest.fixture
def plot(qapp):
    widget = make_plot_widget()
    widget.resize(800, 400)
    yield widget.getPlotItem()
    dispose_plot_widget(widget)


def items_of(plot_item, kind):
    return [item for item in plot_item.items if type(item) is kind]


def line_segments(item: pg.PlotDataItem) -> list[tuple[float, float]]:
    """The (x0, x1) pairs the item joins with a line."""
    xs, _ys = item.getData()
    connect = item.opts["connect"]
    return [(xs[i], xs[i + 1]) for i in range(len(xs) - 1) if connect[i]]


def test_actual_points_markers_and_gaps_match_the_data(plot):
    data = chart_data(make_indicator(), [
        v("2015/16", 755, note="first year", source="CLOSURE 8.3"), v("2019/20", 1400),
        v("2020/21", 1500), v("2021/22", 1636)])
    configure_plot(plot, data)
    scatter = items_of(plot, pg.ScatterPlotItem)[0]
    spots = [(s.pos().x(), s.pos().y()) for s in scatter.points()]
    assert spots == [(0, 755), (4, 1400), (5, 1500), (6, 1636)]
    lines = items_of(plot, pg.PlotDataItem)
    assert len(lines) == 1
    # The gap 2016/17-2018/19 is not bridged: only neighbouring years are joined.
    assert line_segments(lines[0]) == [(4, 5), (5, 6)]
    assert scatter.points()[0].data().tooltip(data.indicator) == (
        "Actual, 2015/16: 755\nNote: first year\nSource: CLOSURE 8.3")


def test_period_labels_on_the_x_axis(plot):
    data = chart_data(make_indicator(), [v("2015/16", 1), v("2021/22", 2)])
    configure_plot(plot, data)
    ticks = plot.getAxis("bottom")._tickLevels[0]
    assert ticks == [(0, "2015/16"), (1, "2016/17"), (2, "2017/18"), (3, "2018/19"),
                     (4, "2019/20"), (5, "2020/21"), (6, "2021/22")]


def test_many_monthly_periods_get_thinned_labels_in_order(plot):
    months = ["Apr 2021", "May 2021", "Jun 2021", "Jul 2021", "Aug 2021", "Sep 2021",
              "Oct 2021", "Nov 2021", "Dec 2021", "Jan 2022", "Feb 2022", "Mar 2022",
              "Apr 2022", "May 2022", "Jun 2022", "Jul 2022", "Aug 2022", "Sep 2022"]
    data = chart_data(make_indicator(baseline=None), [v(m, i) for i, m in enumerate(months)])
    configure_plot(plot, data, compact=True)
    ticks = plot.getAxis("bottom")._tickLevels[0]
    assert len(ticks) <= 7
    assert ticks[0] == (0, "Apr 2021")
    assert [label for _x, label in ticks] == [months[x] for x, _label in ticks]


def test_baseline_and_target_are_horizontal_lines_with_their_labels(plot):
    data = chart_data(make_indicator(target_value=1000, target_period="2023/24"),
                      [v("2015/16", 755), v("2021/22", 1636)])
    configure_plot(plot, data)
    lines = {round(line.value()): line.label.toPlainText()
             for line in items_of(plot, pg.InfiniteLine)}
    assert lines == {755: "Baseline 2015/16: 755", 1000: "Target by 2023/24: 1,000"}


def test_no_baseline_line_without_a_baseline_value(plot):
    data = chart_data(make_indicator(baseline="2014/15"), [v("2015/16", 1), v("2016/17", 2)])
    configure_plot(plot, data)
    assert items_of(plot, pg.InfiniteLine) == []


def test_provisional_values_are_hollow_and_joined_by_a_dashed_line(plot):
    data = chart_data(make_indicator(baseline=None), [
        v("2019/20", 10), v("2020/21", 12), v("2021/22", 14, state=ValueState.PROVISIONAL)])
    configure_plot(plot, data)
    solid, dashed = items_of(plot, pg.PlotDataItem)
    assert line_segments(solid) == [(0, 1)]
    assert line_segments(dashed) == [(1, 2)]
    assert dashed.opts["pen"].style() == pg.QtCore.Qt.PenStyle.DashLine
    brushes = [s.brush().color().name() for s in items_of(plot, pg.ScatterPlotItem)[0].points()]
    assert brushes == [ACTUAL_COLOUR, ACTUAL_COLOUR, BACKGROUND]


def test_comparison_series_is_drawn_in_its_own_colour_with_a_legend(plot):
    data = chart_data(make_indicator(baseline=None), [
        v("2019/20", 10), v("2020/21", 12),
        v("2019/20", 11, Series.COMPARISON), v("2020/21", 13, Series.COMPARISON)])
    configure_plot(plot, data)
    colours = {item.opts["pen"].color().name(): item.getData()[1].tolist()
               for item in items_of(plot, pg.PlotDataItem)}
    assert colours == {ACTUAL_COLOUR: [10, 12], COMPARISON_COLOUR: [11, 13]}
    labels = [label.text for _sample, label in plot.legend.items]
    assert labels == ["Actual", "Comparison group"]


def test_withheld_points_only_when_asked_and_never_on_the_line(plot):
    values = [v("2019/20", 10), v("2020/21", 99, state=ValueState.WITHHELD), v("2021/22", 12)]
    configure_plot(plot, chart_data(make_indicator(baseline=None), values,
                                    include_withheld=True))
    shown = [s.pos().y() for item in items_of(plot, pg.ScatterPlotItem) for s in item.points()]
    assert sorted(shown) == [10, 12, 99]
    assert all(99 not in item.getData()[1] for item in items_of(plot, pg.PlotDataItem))
    configure_plot(plot, chart_data(make_indicator(baseline=None), values))
    shown = [s.pos().y() for item in items_of(plot, pg.ScatterPlotItem) for s in item.points()]
    assert sorted(shown) == [10, 12]


def test_counts_start_at_zero_and_keep_the_values_in_view(plot):
    data = chart_data(make_indicator(), [v("2015/16", 111022), v("2021/22", 165518)])
    configure_plot(plot, data)
    (x0, x1), (y0, y1) = plot.getViewBox().viewRange()
    assert y0 <= 0 < 111022 and y1 > 165518
    assert x0 < 0 and x1 > 6


def test_configure_again_replaces_the_drawing(plot):
    data = chart_data(make_indicator(), [v("2015/16", 1), v("2016/17", 2)])
    configure_plot(plot, data)
    configure_plot(plot, data)
    assert len(items_of(plot, pg.ScatterPlotItem)) == 1
    assert len(items_of(plot, pg.InfiniteLine)) == 1


def test_an_empty_indicator_says_so_and_hides_the_axes(plot):
    configure_plot(plot, chart_data(make_indicator(), []))
    texts = [item.toPlainText() for item in items_of(plot, pg.TextItem)]
    assert texts == ["No values recorded yet"]
    assert not plot.getAxis("left").isVisible()


def test_render_chart_png_and_svg(qapp, tmp_path):
    ind = make_indicator(target_value=1000)
    values = [v("2015/16", 755), v("2021/22", 1636)]
    png = render_chart(ind, values, "png", width=640, height=320)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage.fromData(png)
    assert (image.width(), image.height()) == (640, 320)
    # Not a blank picture: the actual series colour is in it.
    pixels = {image.pixelColor(x, y).name() for x in range(0, 640, 2) for y in range(0, 320, 2)}
    assert ACTUAL_COLOUR in pixels
    svg = render_chart(ind, values, tmp_path / "chart.svg")
    assert b"<svg" in svg[:300]
    assert (tmp_path / "chart.svg").read_bytes() == svg
    with pytest.raises(ValueError):
        render_chart(ind, values, "gif")


def test_render_chart_leaves_withheld_values_out(qapp):
    ind = make_indicator(baseline=None)
    shown = render_chart(ind, [v("2019/20", 10), v("2020/21", 12)], "png", title=False)
    with_withheld = render_chart(
        ind, [v("2019/20", 10), v("2020/21", 12), v("2021/22", 500, state=ValueState.WITHHELD)],
        "png", title=False)
    assert np.array_equal(np.frombuffer(QImage.fromData(shown).constBits(), np.uint8),
                          np.frombuffer(QImage.fromData(with_withheld).constBits(), np.uint8))


def test_render_chart_from_the_sample_store(store):
    """The sample's four values of all crime are drawn: four markers in the actual colour, at
    rising heights where the values rise, in an 800 x 400 picture; the SVG names the periods."""
    ind = next(i for i in indicators.list_indicators(store) if i.name == "Number of all crime offences")
    values = indicators.list_values(store, ind.id)
    assert [v.period for v in values] == ["2015/16", "2019/20", "2020/21", "2021/22"]
    image = QImage.fromData(render_chart(ind, values, "png", title=False))
    assert (image.width(), image.height()) == (800, 400)
    target = QColor(ACTUAL_COLOUR)
    columns = {}
    for x in range(image.width()):
        for y in range(image.height()):
            c = image.pixelColor(x, y)
            if abs(c.red() - target.red()) + abs(c.green() - target.green()) \
                    + abs(c.blue() - target.blue()) < 30:
                columns.setdefault(x, []).append(y)
    assert columns, "no pixel in the actual series' colour"
    # The line climbs from 2015/16 (111,022) to 2019/20 (167,226): higher values, smaller y.
    xs = sorted(columns)
    assert min(columns[xs[-1]]) < max(columns[xs[0]])
    svg = render_chart(ind, values, "svg").decode("utf-8")
    assert all(period in svg for period in ("2015/16", "2019/20", "2020/21", "2021/22"))


def test_hovering_a_point_shows_value_period_note_and_source(plot):
    data = chart_data(make_indicator(unit=Unit.PERCENT, baseline=None), [
        v("2020/21", 61.5, note="survey changed", source="Essex Police return Q4")])
    configure_plot(plot, data)
    scatter = items_of(plot, pg.ScatterPlotItem)[0]
    assert scatter.opts["hoverable"]
    spot = scatter.points()[0]
    tip = scatter.opts["tip"](x=spot.pos().x(), y=spot.pos().y(), data=spot.data())
    assert tip == ("Actual, 2020/21: 61.5 per cent\nNote: survey changed\n"
                   "Source: Essex Police return Q4")

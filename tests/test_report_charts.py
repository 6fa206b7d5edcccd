"""The report charts (SVG drawn in plain Python): what a reader finds on them, read back from the
SVG itself: axis titles, every value labelled, series told apart by dash and marker as well as
colour, gaps said and not bridged, a target, and the text alternative; and the PNG Word gets."""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET

from tracker.domain.model import (
    Frequency,
    Indicator,
    IndicatorValue,
    Polarity,
    Series,
    StatusCounts,
    Unit,
    ValueState,
)
from tracker.domain.series import chart_data
from tracker.domain.status import Status
from tracker.reports import chart_text, raster, svg_chart

NS = {"s": "http://www.w3.org/2000/svg"}


def indicator(unit=Unit.COUNT, target_value=None, target_period=None, baseline="2015/16"):
    return Indicator(7, "u7", 1, None, 1, "Number of knife-enabled crimes", unit,
                     Polarity.LOWER_IS_BETTER, Frequency.ANNUAL, baseline, target_value,
                     target_period)


def value(n, period, number, series=Series.ACTUAL, state=ValueState.FINAL, source=None):
    return IndicatorValue(n, f"x{n}", 7, period, series, number, state, None, source)


def full_chart():
    values = [value(1, "2015/16", 755, source="CLOSURE 7.8"),
              value(2, "2016/17", 802), value(3, "2019/20", 1210),
              value(4, "2020/21", 1105), value(5, "2021/22", 1636, state=ValueState.PROVISIONAL),
              value(6, "2015/16", 700, Series.COMPARISON), value(7, "2016/17", 720, Series.COMPARISON),
              value(8, "2020/21", 1000, Series.TARGET), value(9, "2021/22", 900, Series.TARGET)]
    data = chart_data(indicator(target_value=800, target_period="2021/22"), values)
    return data, svg_chart.indicator_svg(data, chart_text.chart_alt(data), "knife")


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]


def test_axes_say_what_they_count_and_over_what_and_every_value_is_labelled():
    data, svg = full_chart()
    shown = texts(svg)
    assert "Number" in shown and "Financial year (April to March)" in shown
    for label in ("755", "802", "1,210", "1,105", "1,636", "700", "720", "1,000", "900"):
        assert label in shown, label
    assert "Target by 2021/22: 800" in shown
    assert {"2015/16", "2021/22"} <= set(shown)
    assert ET.fromstring(svg).find("s:title", NS).text == chart_text.chart_alt(data)


def test_series_differ_by_dash_and_marker_not_only_colour():
    _data, svg = full_chart()
    root = ET.fromstring(svg)
    dashes = {}
    for line in root.iter("{http://www.w3.org/2000/svg}polyline"):
        dashes.setdefault(line.get("stroke"), set()).add(line.get("stroke-dasharray"))
    assert None in dashes[svg_chart.STYLES["actual"][0]]  # solid between final values
    assert "5 4" in dashes[svg_chart.STYLES["actual"][0]]  # dashed into the provisional one
    assert dashes[svg_chart.STYLES["comparison"][0]] == {"7 4"}
    assert dashes[svg_chart.STYLES["target"][0]] == {"2 3"}
    assert root.findall(".//s:circle", NS) and root.findall(".//s:rect[@fill]", NS)
    assert root.findall(".//s:path", NS)  # diamonds for the target series
    legend = [t for t in texts(svg)[:8]]
    assert {"Actual", "Comparison group", "Target", "Provisional value", "Baseline"} <= set(legend)


def test_a_gap_breaks_the_line_and_is_said():
    data, svg = full_chart()
    root = ET.fromstring(svg)
    actual = [line for line in root.iter("{http://www.w3.org/2000/svg}polyline")
              if line.get("stroke") == svg_chart.STYLES["actual"][0]]
    xs = [float(p.split(",")[0]) for line in actual for p in line.get("points").split()]
    positions = {period: i for i, period in enumerate(data.periods)}
    # No segment spans 2016/17 to 2019/20: each joins neighbouring periods only.
    for line in actual:
        a, b = (float(p.split(",")[0]) for p in line.get("points").split())
        assert abs(b - a) < (xs[-1] - xs[0]) / (len(data.periods) - 1) * 1.01
    assert "no value stated" in texts(svg)
    assert positions["2017/18"] and "no value for 2017/18 to 2018/19" in chart_text.chart_alt(data)


def test_the_text_alternative_is_written_from_the_data():
    data, _svg = full_chart()
    assert chart_text.chart_alt(data) == (
        "Line chart of the number of knife-enabled crimes: 755 in 2015/16, 802 in 2016/17, "
        "1,210 in 2019/20, 1,105 in 2020/21, 1,636 in 2021/22 (provisional); no value for "
        "2017/18 to 2018/19; comparison group: 700 in 2015/16, 720 in 2016/17; target: 1,000 "
        "in 2020/21, 900 in 2021/22; target by 2021/22: 800.")
    assert chart_text.subject("Confidence in the local police (CSEW)") == \
        "Confidence in the local police (CSEW)"


def test_a_qualified_value_keeps_its_qualifier_on_the_chart_and_in_its_description():
    values = [value(1, "2015/16", 465),
              IndicatorValue(2, "x2", 7, "2021/22", Series.ACTUAL, 2682, ValueState.FINAL,
                             qualifier="more than")]
    data = chart_data(indicator(), values)
    alt = chart_text.chart_alt(data)
    assert "465 in 2015/16, more than 2,682 in 2021/22" in alt
    assert "more than 2,682" in texts(svg_chart.indicator_svg(data, alt, "q"))


def test_percent_and_pounds_read_as_people_write_them():
    assert svg_chart.short_value(68.7, Unit.PERCENT) == "68.7%"
    assert svg_chart.short_value(1200, Unit.POUNDS) == "£1,200"
    assert svg_chart.nice_ticks(0, 167_226) == [0, 50_000, 100_000, 150_000, 200_000]


def test_status_chart_marks_every_part_with_shape_and_count():
    rows = [("1. A priority with a long name that needs two lines to be read", StatusCounts()),
            ("2. Short", StatusCounts())]
    rows[0][1].add(Status.NOT_ASSESSED, 18)
    rows[0][1].add(Status.COMPLETE, 1)
    rows[0][1].add(Status.CARRIED_FORWARD, 2)
    rows[1][1].add(Status.ON_TRACK, 6)
    svg, height = svg_chart.status_svg(rows, "Bar chart")
    shown = texts(svg)
    assert {"\u25cb 18", "\u2714 1", "\u279c 2", "\u25cf 6", "21", "6"} <= set(shown)
    for status in (Status.NOT_ASSESSED, Status.COMPLETE, Status.CARRIED_FORWARD, Status.ON_TRACK):
        assert f"{status.shape} {status.label}" in shown  # the legend
    assert height > 60 and 'role="img"' in svg


def test_charts_draw_off_the_gui_thread_and_rasterise_for_word():
    found = {}

    def work():
        _data, svg = full_chart()
        found["pngs"] = raster.svgs_to_pngs([(svg, 640, 300), (svg, 640, 300)], scale=1.5)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    pngs = found["pngs"]
    assert len(pngs) == 2 and all(p.startswith(b"\x89PNG") for p in pngs)
    width, height = (int.from_bytes(pngs[0][16 + 4 * i:20 + 4 * i], "big") for i in range(2))
    assert (width, height) == (960, 450)


def test_hostile_text_in_a_chart_stays_text():
    hostile = Indicator(7, "u7", 1, None, 1, "<script>alert(1)</script> & \x07 ]]>", Unit.COUNT,
                        Polarity.NEITHER, Frequency.ANNUAL)
    data = chart_data(hostile, [value(1, "2020/21", 5), value(2, "2021/22", 6)])
    svg = svg_chart.indicator_svg(data, chart_text.chart_alt(data), "x")
    root = ET.fromstring(svg)  # still well-formed XML
    assert "<script>" not in svg and not re.search(r"[\x00-\x08]", svg)
    assert "alert(1)" in root.find("s:title", NS).text


def test_the_source_line_names_each_document_once_with_its_places_in_order():
    closure = "Police and Crime Plan 2016 to 2021 Closure Report"
    assert chart_text.source_line([f"{closure}, paragraph 5.2", f"{closure}, paragraph 5.1"]) == (
        f"Source: {closure}, paragraphs 5.1 and 5.2.")
    assert chart_text.source_line([f"{closure}, paragraph 10.3", f"{closure}, Appendix 1, 7. "
                                   "Roads", "Essex Police crime data", f"{closure}, paragraph 9.1"]
                                  ) == (f"Source: {closure}, paragraphs 9.1 and 10.3 and Appendix "
                                        "1, 7. Roads; Essex Police crime data.")
    assert chart_text.source_line([]) is None


def test_the_gap_label_keeps_clear_of_a_baseline_running_along_the_axis():
    # Stop and search for weapons: 378 in 2015/16 and 3,060 in 2021/22 put the baseline level
    # just above the axis, where "no value stated" is written
    data = chart_data(indicator(), [value(1, "2015/16", 378), value(2, "2021/22", 3060)])
    root = ET.fromstring(svg_chart.indicator_svg(data, chart_text.chart_alt(data), "stops"))
    [gap] = [t for t in root.iter("{http://www.w3.org/2000/svg}text")
             if t.text == "no value stated"]
    # the level across the plot, not the legend's sample of it
    [level] = [ln for ln in root.iter("{http://www.w3.org/2000/svg}line")
               if ln.get("stroke-dasharray") == "5 4" and ln.get("y1") == ln.get("y2")
               and float(ln.get("x2")) - float(ln.get("x1")) > 100]
    baseline_y, text_y = float(level.get("y1")), float(gap.get("y"))
    # a line's height of the text's own, and room either side (it sat 1.3 px under it)
    assert text_y < baseline_y - 3 or text_y - svg_chart.TICK_SIZE > baseline_y + 3, \
        (text_y, baseline_y)

# ruff: noqa: S314 - parses SVG this code generated, to check it is well-formed
"""Inline SVG charts: well-formed, scaled to the data, text escaped."""

import xml.etree.ElementTree as ET

from skincare.core import charts
from skincare.core.analytics import histogram

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_valid_svg_with_one_bar_per_value():
    svg = charts.bar_chart(["a", "b", "c"], [1, None, 4], title="Things")
    root = ET.fromstring(svg)
    bars = [r for r in root.iter(f"{SVG}rect")]
    assert len(bars) == 2  # None draws no bar
    heights = sorted(float(r.get("height")) for r in bars)
    assert heights[1] == 4 * heights[0]
    assert root.find(f"{SVG}title").text == "Things"


def test_labels_and_titles_are_escaped():
    svg = charts.line_chart(["<b>"], {"<script>x</script>": [3]}, title='"><img src=x>')
    assert "<script>" not in svg and "<img" not in svg
    ET.fromstring(svg)  # still well-formed


def test_axis_top_is_a_round_number_at_or_above_the_maximum():
    assert charts._scale(7) == 10
    assert charts._scale(10) == 10
    assert charts._scale(0.37) == 0.5
    assert charts._scale(1234) == 2000
    assert charts._scale(0) == 1


def test_histogram_chart_labels_bins():
    svg = charts.histogram_chart(histogram([5, 15, 15], low=0, high=100), title="Score")
    assert "0–10" in svg and "90–100" in svg
    assert len(list(ET.fromstring(svg).iter(f"{SVG}rect"))) == 10

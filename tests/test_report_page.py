"""'What the report concludes': the report's own words as data, linked to the measures."""

from __future__ import annotations

import html

import pytest

from landscape.model import report
from landscape.model.measures import ALL_MEASURES
from tests.app_support import open_page, tables_shown
from tests.store_support import bundled_model

pytestmark = pytest.mark.usefixtures("app_store")


def test_the_reference_file_holds_ten_recommendations_with_sections_and_known_measures():
    items = report.report_items()
    recommendations = report.items_of("recommendation")
    assert len(recommendations) == 10
    assert {i.kind for i in items} == set(report.KINDS)
    for item in items:
        assert item.section, item.id
        assert set(item.measures) <= set(ALL_MEASURES), item.id


def test_progress_shows_each_measure_now_and_its_change_from_an_earlier_wave(bundled):
    (item,) = [i for i in report.report_items() if i.id == "rec_07_governance_review"]
    now = report.progress(item, bundled)
    linked = ("strategic_board", "marac", "matac", "dapp")
    assert [p.now for p in now] == [ALL_MEASURES[m](bundled).text for m in linked]
    assert all(p.before is None for p in now)
    fewer = bundled.filter(regions=["London"])
    changed = report.progress(item, bundled, fewer)
    assert (
        changed[1].change
        == ALL_MEASURES["marac"](bundled).numerator - ALL_MEASURES["marac"](fewer).numerator
    )


def test_the_wave_s_counts_are_held_against_the_report_s_words(bundled):
    checks = {c.id: c for c in report.word_checks(bundled)}
    # "several areas" offer out-of-court programmes: the bundled wave has 8 of 33 (was 31)
    assert (checks["oocr_several_areas"].count, checks["oocr_several_areas"].of) == (8, 33)
    assert checks["oocr_several_areas"].fits
    assert (checks["isac_several_pccs"].count, checks["isac_several_pccs"].fits) == (8, True)
    assert checks["integrated_not_everywhere"].count == 26  # was 33 of 33
    assert checks["integrated_not_everywhere"].fits
    assert report._several(5, 33) and not report._several(2, 33) and not report._several(12, 33)


def test_the_page_shows_recommendations_challenges_case_studies_and_inconsistencies():
    at = open_page("report")
    assert at.title[0].value.startswith("The APCC report makes 10 recommendations")
    headers = [h.value for h in at.header]
    assert headers[: len(report.KINDS)] == list(report.KINDS.values())
    body = html.unescape(" ".join(str(m.value) for m in at.markdown))
    assert "Sussex: COBI within the High Harm Perpetrator Programme" in body
    assert "GBP 19m + GBP 20.5m is not 'up to GBP 39 million'" in body
    # each finding's report figures, section and measures are in its section's one block
    assert "Report section: Findings > Evaluation (p18)</p>" in body
    assert "<li>Areas using MARAC: 20 of 33 responding areas (61%)</li>" in body
    lines = " ".join(str(t.value) for t in at.text)
    assert "✓ 'Several areas' offer programmes through out-of-court resolutions" in lines
    assert tables_shown(at) and len(at.get("download_button")) >= 2


def test_the_page_sends_one_block_a_section_not_elements_per_finding():
    """49 findings were ~300 elements (a container, title, summary, captions and a text per
    measure each), all re-sent on every rerun (issue 13)."""
    at = open_page("report")
    blocks = [m.value for m in at.markdown if 'class="landscape-report"' in str(m.value)]
    assert len(blocks) == len(report.KINDS)  # one block a section, findings ruled apart
    assert sum(str(b).count("<hr>") + 1 for b in blocks) == len(report.report_items())
    assert not any("\n" in str(b) for b in blocks)  # one line: Markdown never ends the HTML
    assert _elements(at.main) < 40


def _elements(node: object) -> int:
    children = getattr(node, "children", None)
    if not isinstance(children, dict):
        return 1
    return 1 + sum(_elements(child) for child in children.values())


def test_a_findings_text_is_escaped_into_its_sections_markup_and_kept_on_one_line():
    """The report page's one block a section is HTML (issue 20): text from the reference file
    is shown as text, never as markup, and a line break in it never ends the HTML block."""
    from dataclasses import replace

    from ui import layout

    hostile = '<img src=x onerror="alert(1)"> **not bold**\nsecond line\x1b'
    first = report.report_sections(bundled_model())[0]
    item = replace(first.items[0].item, title=hostile, summary=hostile, figures="", section="S")
    section = replace(first, items=(replace(first.items[0], item=item, progress=()),))
    markup = layout._report_section_markup(section)
    assert "<img" not in markup and "\n" not in markup
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; **not bold**<br>second line\\x1b" in (
        markup
    )
    assert "Figures in the report" not in markup  # none given, none said

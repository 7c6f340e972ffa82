"""Headlines say what kind of number they are; checks, banner and downloads know their wave.

Every page's title is followed by its label: "Published: APCC report ..." for a figure the report
prints, "Illustrative: ..." for one it does not on an illustrative wave, "From the wave's
answers" on a reported one. A reported wave is never set beside the report."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import openpyxl
import pandas as pd
import pytest

from landscape.figures.export import ABOUT_SHEET, csv_bytes, xlsx_bytes
from landscape.intake.template import survey_workbook_bytes
from landscape.model import breakdowns
from landscape.store import open_store
from tests.app_support import PAGES, isolated_store, open_page, tables_shown
from tests.store_support import ADMIN, database_url
from tests.wave_kinds import reported_survey

LABELS = ("Published: ", "Illustrative: ", "From the wave's answers")
ABOUT_KEY = "_landscape_download_about"


def texts(elements) -> list[str]:
    return [str(e.value) for e in elements]


def header_label(at) -> str:
    """The caption straight after the title: the headline's label (Markdown escapes removed)."""
    return str(at.caption[0].value).replace("\\", "")


@pytest.fixture(scope="module")
def bundled_app(tmp_path_factory) -> Iterator[None]:
    with isolated_store(tmp_path_factory.mktemp("honest") / "bundled.sqlite"):
        yield


@pytest.fixture(scope="module")
def reported_app(tmp_path_factory) -> Iterator[None]:
    """The bundled wave, then a reported wave (no illustrative record) published after it."""
    database = tmp_path_factory.mktemp("honest") / "reported.sqlite"
    store = open_store(database_url(database))
    workbook = survey_workbook_bytes(reported_survey())
    store.publish(workbook, "2026.xlsx", principal=ADMIN, label="2026 survey (reported)")
    store.dispose()
    with isolated_store(database):
        yield


@pytest.mark.usefixtures("bundled_app")
@pytest.mark.parametrize("page", PAGES)
def test_every_page_headline_carries_its_label_and_every_download_the_wave(page):
    at = open_page(page)
    label = header_label(at)
    assert label.startswith(LABELS), (page, label)
    about = dict(at.session_state[ABOUT_KEY])
    assert about["Wave"].startswith("APCC 2025 survey (illustrative)")
    assert about["Kind of wave"] == (
        "illustrative (real where a public source says so, invented elsewhere); "
        "calibrated to reproduce the APCC report (7 March 2025)"
    )
    assert "cite a public source" in about["Provenance of the values"]
    assert about["Figures on this page"] == label


@pytest.mark.usefixtures("bundled_app")
def test_an_unpublished_illustrative_figure_is_never_stated_as_a_finding():
    at = open_page("availability")
    assert "serve high-risk perpetrators" in at.title[0].value  # not a figure the report prints
    assert "Illustrative: the report gives no figure" in header_label(at)
    victims = open_page("victims")
    # the wave's 33 of 33 "integrated support" contradicts the report: never a headline
    assert "integrated support" not in victims.title[0].value.lower()
    assert header_label(victims).startswith("Published: APCC report (7 March 2025)")
    assert any("Illustrative: the report gives no figure" in s for s in texts(victims.subheader))


@pytest.mark.usefixtures("bundled_app")
def test_overview_cards_say_published_and_the_banner_claims_calibration():
    at = open_page("overview")
    captions = [c.replace("\\", "") for c in texts(at.caption)]
    assert any(c.startswith("Published: APCC report (7 March 2025), Funding: 25") for c in captions)
    assert any("✓ matches" in m for m in texts(at.markdown))
    assert any("calibrated to reproduce" in w for w in texts(at.warning))


@pytest.mark.usefixtures("reported_app")
def test_a_reported_wave_drops_the_report_comparison_and_the_calibrated_banner():
    at = open_page("overview")
    assert not any("APCC report:" in m for m in texts(at.markdown))
    assert not any("calibrated to reproduce" in w for w in texts(at.warning))
    assert not any("Illustrative data" in w for w in texts(at.warning))
    assert header_label(at).startswith("From the wave's answers")
    captions = texts(at.caption)
    # the earlier wave is the invented one: the comparison says so
    assert any(
        c.startswith("Previous wave (illustrative; this one is reported):") for c in captions
    )
    assert any("not calibrated to a published report" in i for i in texts(at.info))
    about = dict(at.session_state[ABOUT_KEY])
    assert (
        about["Kind of wave"]
        == "reported (every value is an area's own answer); tied to no published report"
    )
    # and the About page's figure check holds no rows for it
    tables = tables_shown(open_page("about"))
    checks = [t for t in tables if "matches" in {str(c).lower() for c in t.columns}]
    assert all(t.empty for t in checks)  # the check table, if shown, holds no rows


def test_downloads_state_the_wave_first():
    about = (("Wave", "APCC 2025 survey (illustrative)"), ("Kind of wave", "illustrative"))
    frame = pd.DataFrame({"figure": ["=x"], "count": [1]})
    lines = csv_bytes(frame, about).decode("utf-8-sig").splitlines()
    assert lines[:2] == ["# Wave: APCC 2025 survey (illustrative)", "# Kind of wave: illustrative"]
    assert list(csv.reader(io.StringIO("\n".join(lines[2:])))) == [
        ["figure", "count"],
        ["'=x", "1"],
    ]
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, "Data", about)))
    assert book.sheetnames == [ABOUT_SHEET, "Data"]
    assert book[ABOUT_SHEET]["A1"].value == "Wave"
    assert book[ABOUT_SHEET]["B2"].value == "illustrative"
    assert book["Data"]["A2"].value == "'=x"


def test_continuing_only_with_national_funding_counts_as_continuing_in_the_profile(bundled):
    from landscape.model import breakdowns
    from landscape.model.measures import MEASURES

    features = breakdowns.area_features(bundled)["Plans to continue funding after 2024-25"]
    assert int(features.sum()) == MEASURES["continue_after_2425"](bundled).numerator == 27


def test_funding_that_ended_before_the_day_is_counted_as_past(bundled):
    import datetime

    from landscape.model import findings

    ended = findings.funding_already_ended(bundled, datetime.date(2025, 3, 7))
    assert ended.ended >= 1 and ended.earliest is not None
    assert ended.earliest < datetime.date(2025, 3, 7)
    assert "already past" in ended.sentence
    assert findings.funding_already_ended(bundled, datetime.date(2000, 1, 1)).ended == 0


def test_funding_end_dates_are_read_against_the_waves_reference_date_never_today(bundled):
    import dataclasses
    import datetime

    from landscape.model import findings
    from landscape.model.reference_date import REPORT_BASIS, wave_reference_date
    from landscape.model.wave_kind import SEED_KIND

    # the bundled wave is tied to the report: read as of the report's date, 7 March 2025
    reference = wave_reference_date(SEED_KIND)
    assert reference is not None
    assert (reference.on, reference.basis) == (datetime.date(2025, 3, 7), REPORT_BASIS)
    ended = findings.funding_already_ended(bundled, reference)
    assert (ended.ended, ended.total) == (1, 210)  # only the programme whose funding ended 2023
    assert ended.kinds == (("Illustrative", 209), ("Sourced", 1))
    assert ended.sentence.startswith(
        "As of 7 March 2025, the report's date, 1 of 210 (<1%) programmes had a funding end "
        "date already past (the end dates are Illustrative (209) and Sourced (1))"
    )
    cliff = breakdowns.funding_cliff(bundled, reference).set_index("quarter")
    assert cliff["ended"].sum() == ended.ended
    assert cliff.loc["2023 Q1 (Jan-Mar)", "status"] == breakdowns.FUNDING_ENDED
    assert cliff.loc["2025 Q1 (Jan-Mar)", "status"] == breakdowns.FUNDING_AHEAD  # 31 March
    # a wave with a survey date and no other reference is read against that date
    surveyed = dataclasses.replace(
        bundled, wave=dataclasses.replace(bundled.wave, survey_date=datetime.date(2025, 1, 15))
    )
    reference = breakdowns.funding_reference(surveyed)
    assert reference is not None
    assert (reference.on, reference.basis) == (
        datetime.date(2025, 1, 15),
        breakdowns.SURVEY_DATE_BASIS,
    )
    early = breakdowns.funding_cliff(surveyed).set_index("quarter")
    assert early["ended"].to_dict() == {
        "2023 Q1 (Jan-Mar)": 1,
        "2025 Q1 (Jan-Mar)": 0,
        "2025 Q3 (Jul-Sep)": 0,
        "2026 Q1 (Jan-Mar)": 0,
        "2027 Q1 (Jan-Mar)": 0,
    }
    assert findings.funding_already_ended(surveyed).ended == 1
    # with no date at all nothing is read as past, and no quarter is called ahead either
    assert breakdowns.funding_reference(bundled) is None
    unread = breakdowns.funding_cliff(bundled)
    assert unread["ended"].sum() == 0
    dated = unread[unread["quarter_start"].notna()]
    assert set(dated["status"]) == {breakdowns.FUNDING_UNREAD}
    assert "none is counted as past" in findings.funding_already_ended(bundled).sentence


def test_a_quarter_partly_past_is_split_not_called_ahead():
    import dataclasses
    import datetime

    from landscape.figures import charts
    from landscape.model.landscape import build_landscape
    from tests.builders import minimal_survey

    small = build_landscape(minimal_survey())
    cliff = breakdowns.funding_cliff(small, datetime.date(2025, 3, 31))
    dated = cliff[cliff["quarter_start"].notna()]
    assert set(dated["status"]) == {breakdowns.FUNDING_AHEAD}  # ends on 31 March: not yet past
    assert cliff.iloc[-1]["status"] == breakdowns.NOT_RECORDED  # no date: neither past nor ahead
    # one programme of the quarter ended in January, one ends in March: 15 February splits it
    ends = small.programmes["funding_end"].copy()
    first = ends.first_valid_index()
    ends[first] = pd.Timestamp(2025, 1, 31)
    split = dataclasses.replace(small, programmes=small.programmes.assign(funding_end=ends))
    row = breakdowns.funding_cliff(split, datetime.date(2025, 2, 15)).iloc[0]
    assert (row["programmes"], row["ended"], row["status"]) == (
        int(ends.notna().sum()),
        1,
        breakdowns.FUNDING_PARTLY_ENDED,
    )
    figure = charts.funding_cliff_bars(breakdowns.funding_cliff(split, datetime.date(2025, 2, 15)))
    parts = {t.name.split(" (")[0]: t.x[0] for t in figure.data}
    assert parts["Ended"] == 1 and parts["Ahead"] == row["programmes"] - 1
    assert "1 ended" in figure.layout.yaxis.ticktext[0]

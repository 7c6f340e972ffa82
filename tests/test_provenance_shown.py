"""Per-value provenance where a reader meets it: the directory's "sourced facts only" filter (kept
in the URL), the area profile's answers, the stalking map's hover text and the downloads."""

from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd
import pytest

from landscape.figures import map_svg, maps
from landscape.intake.template import survey_workbook_bytes
from landscape.intake.validate import load_survey
from landscape.model import breakdowns, profile
from landscape.model.landscape import Landscape, build_landscape
from landscape.model.provenance import provenance_text, stalking_provision_provenance
from tests.app_support import open_page, tables_shown
from tests.builders import minimal_survey
from tests.store_support import bundled_model

CAMBRIDGESHIRE = "E23000023"

# A store of this module's own (seeded with the bundled wave) and cold caches: tests/conftest.py
pytestmark = pytest.mark.usefixtures("app_store")


def _cited(rows: list[list[object]]) -> Landscape:
    """The minimal survey as an area's own answers (row provenance blank: Reported) with these
    Provenance sheet rows, validated and modelled."""
    survey = minimal_survey()
    survey.areas["provenance"] = None
    survey.programmes["provenance"] = None
    book = openpyxl.load_workbook(io.BytesIO(survey_workbook_bytes(survey)))
    for number, values in enumerate(rows, start=2):
        for position, value in enumerate(values, start=1):
            book["Provenance"].cell(row=number, column=position, value=value)
    out = io.BytesIO()
    book.save(out)
    return build_landscape(load_survey(out.getvalue(), "cited.xlsx"))


def _table_with(at, columns: list[str]) -> pd.DataFrame:
    tables = [d for d in tables_shown(at) if list(d.columns) == columns]
    assert tables, columns
    return tables[0]


# --- the directory ------------------------------------------------------------------------------


def test_the_directory_from_sourced_1_shows_only_programmes_with_a_sourced_field():
    at = open_page("directory", sourced="1")
    assert at.checkbox(key="directory-sourced").value is True
    table = tables_shown(at)[0]
    model = bundled_model()
    expected = breakdowns.directory(model, sourced_only=True)
    assert len(table) == len(expected)
    assert 0 < len(table) < len(model.programmes)
    assert (table["Sourced fields"] != "").all()
    assert (table["Citations"] != "").all()
    assert " have a sourced fact" in at.title[0].value


def test_the_sourced_only_choice_survives_a_change_of_page_through_the_url():
    at = open_page("directory")
    everything = len(tables_shown(at)[0])
    assert "sourced" not in at.query_params
    at.checkbox(key="directory-sourced").check().run()
    assert at.query_params["sourced"] == "1"
    sourced = len(tables_shown(at)[0])
    assert sourced < everything
    at.switch_page("pages/overview.py").run()
    at.switch_page("pages/directory.py").run()
    assert at.checkbox(key="directory-sourced").value is True
    assert at.query_params["sourced"] == "1"
    assert len(tables_shown(at)[0]) == sourced
    at.checkbox(key="directory-sourced").uncheck().run()
    assert "sourced" not in at.query_params
    assert len(tables_shown(at)[0]) == everything


# --- the area profile ---------------------------------------------------------------------------


def test_cambridgeshires_profile_cites_a_sourced_answer_and_labels_an_illustrative_one():
    at = open_page("area", area=CAMBRIDGESHIRE)
    answers = _table_with(at, ["Question", "Answer", "Provenance"])
    answers = answers.set_index("Question")["Provenance"]
    board = "Has a strategic board overseeing perpetrator interventions."
    assert answers[board] == (
        "Sourced (Cambridgeshire OPCC FOI/OPCC/24-006 (March 2024), Q1 OPCC response)"
    )
    monitoring = "How often commissioned programmes' performance is monitored."
    assert answers[monitoring] == "Illustrative"
    assert set(answers) - {"Illustrative"} and all(
        p.startswith("Sourced (") for p in answers if p != "Illustrative"
    )


def test_each_programme_answer_of_the_profile_carries_its_provenance():
    answers = profile.area_programme_answers(bundled_model(), CAMBRIDGESHIRE)
    stepwise = answers[answers["programme"] == "StepWise"].set_index("question")["provenance"]
    assert stepwise["Who delivers it."].startswith("Sourced (Cambridgeshire")
    assert "Illustrative" in set(stepwise)
    assert list(answers.columns) == list(profile.PROGRAMME_ANSWER_COLUMNS)


def test_an_uploaded_answer_is_reported_and_a_cited_one_sourced():
    model = _cited([["Areas", "Cambridgeshire", None, "strategic_board", "Sourced", "FOI", "Q1"]])
    answers = profile.area_answers(model, CAMBRIDGESHIRE).set_index("question")["provenance"]
    board = "Has a strategic board overseeing perpetrator interventions."
    assert answers[board] == "Sourced (FOI, Q1)"
    assert set(answers.drop(board)) == {"Reported"}


def test_provenance_in_words():
    assert provenance_text("Sourced", "FOI-018", "Q10") == "Sourced (FOI-018, Q10)"
    assert provenance_text("Published") == "Published"
    assert provenance_text("Illustrative", "ignored", "ignored") == "Illustrative"
    assert provenance_text(None) == ""


# --- the stalking map ---------------------------------------------------------------------------


def _hover(markup: str) -> dict[str, str]:
    """Area name -> its hover text (the <title> of its outline in the map picture)."""
    titles = re.findall(r'<path id="area-\w+" [^>]*><title>([^<]*)</title>', markup)
    return {title.split("\n")[0]: title for title in titles}


def test_the_stalking_maps_hover_names_the_provenance_of_the_answer_drawn():
    model = _cited(
        [["Areas", "Cambridgeshire", None, "stalking_provision", "Sourced", "FOI <6>", "5.1"]]
    )
    picture = map_svg.map_picture(
        breakdowns.stalking_categories(model),
        view="geographic",
        illustrative=model.areas["illustrative"],
        provenance=stalking_provision_provenance(model),
    )
    hover = _hover(picture.markup)
    assert hover["Cambridgeshire"].endswith("\nProvenance: Sourced (FOI &lt;6&gt;, 5.1)")
    assert hover["Essex"].endswith("\nProvenance: Reported")
    assert hover["City of London"].endswith("\nDid not respond")  # no answer, no provenance
    assert "<6>" not in picture.markup


def test_the_stalking_page_map_hover_and_table_name_each_answers_provenance():
    at = open_page("stalking")
    (markup,) = [m.value for m in at.markdown if "landscape-map" in str(m.value)]
    names = list(_hover(markup).values())
    model = bundled_model()
    responding = int(model.areas["responded"].sum())
    # every responding area's stalking answer is illustrative in the bundled wave
    assert sum(n.endswith("\nProvenance: Illustrative") for n in names) == responding
    table = maps.map_table(
        breakdowns.stalking_categories(model),
        model.areas["illustrative"],
        stalking_provision_provenance(model),
    )
    assert set(table.loc[model.areas.index[model.areas["responded"]], "provenance"]) == {
        "Illustrative"
    }


# --- downloads ----------------------------------------------------------------------------------


def test_the_directory_and_profile_downloads_carry_each_values_provenance():
    from landscape.figures import export

    model = bundled_model()
    directory = export.csv_bytes(breakdowns.directory(model, sourced_only=True)).decode("utf-8-sig")
    header = directory.splitlines()[0]
    assert "Sourced fields" in header and "Citations" in header
    assert "FOI/OPCC/24-018" in directory
    answers = pd.read_csv(
        io.BytesIO(export.csv_bytes(profile.area_answers(model, CAMBRIDGESHIRE))), comment="#"
    )
    assert list(answers.columns)[-1].endswith("provenance")
    assert {"Illustrative"} < set(answers.iloc[:, -1]) and any(
        str(p).startswith("Sourced (Cambridgeshire") for p in answers.iloc[:, -1]
    )
    rows = export.csv_bytes(profile.area_programme_answers(model, CAMBRIDGESHIRE)).decode()
    assert "Sourced (Cambridgeshire OPCC FOI/OPCC/24-018 (June 2024)" in rows


# --- a non-respondent's Home Office fund status -------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name"), [("E23000009", "North Yorkshire"), ("E23000026", "Bedfordshire")]
)
def test_a_non_respondents_fund_status_states_its_own_provenance_not_a_published_list(code, name):
    """No source names the non-respondents among the report's 27 recipients (APCC report,
    Funding, footnote 1): the status shown is the wave's illustrative value, and says so."""
    at = open_page("area", area=code)
    assert at.title[0].value == f"{name} did not respond to this survey wave"
    fund = _table_with(
        at, ["ONS code", "Force area", "Region", "Responded", "Status", "Provenance"]
    )
    assert list(fund["Status"]) == ["Recipient (did not respond)"]
    assert list(fund["Provenance"]) == ["Illustrative"]
    captions = " ".join(c.value for c in at.caption)
    assert "published list" not in captions and "list of recipients" not in captions
    assert "Provenance of this status: Illustrative, invented to make the wave whole" in captions
    assert "does not say which areas that did not respond received it" in captions


def test_the_funding_page_says_which_non_respondents_received_the_fund_is_not_published():
    """The report gives the fund's recipients only as counts (Funding, footnote 1)."""
    at = open_page("funding")
    markdown = " ".join(str(m.value) for m in at.markdown)
    assert "which non-respondents received it is not published" in markdown
    assert "published list" not in markdown and "list of recipients" not in markdown


def test_a_list_answer_a_source_states_in_part_labels_each_option_by_its_own_kind(bundled):
    """Cambridgeshire's funding sources: the documents state two options; the others are
    invented, and say so on the area's answers table and in the wave's value count."""
    from landscape.model import composition, profile

    answers = profile.area_answers(bundled, "E23000023").set_index("question")
    funding = answers.loc["Sources funding the area's perpetrator interventions."]
    sourced, rest = funding["provenance"].split(" · ")
    assert sourced.startswith("Sourced (") and sourced.endswith(
        ": Home Office fund 2023-25; Policing budget"
    )
    assert rest.startswith("Illustrative: ") and "Policing budget" not in rest
    for option in rest.removeprefix("Illustrative: ").split("; "):
        assert option in funding["answer"]
    # counted whole as illustrative: a part-sourced answer does not cite a source whole
    values = bundled.value_provenance
    partial = values[values["other_members"].map(lambda m: isinstance(m, tuple))]
    mix = composition.provenance_mix(bundled)
    assert mix.sourced == int((values["provenance"] == "Sourced").sum()) - len(partial)

"""Findings the pages state: shares quoted in titles, the top answer, the about page's counts."""

import pandas as pd
import pytest

from landscape.model import breakdowns, composition, findings, questions
from landscape.model.landscape import Landscape, build_landscape
from landscape.model.measures import MEASURES
from tests.builders import minimal_survey


@pytest.fixture(scope="module")
def small() -> Landscape:
    return build_landscape(minimal_survey())


def test_high_risk_programmes_count_programmes_serving_high_risk(small):
    share = findings.high_risk_programmes(small)
    assert (share.numerator, share.denominator) == (3, 4)
    assert share.label == "3 of 4 (75%)"


def test_early_intervention_is_one_rule_for_the_page_the_measure_and_the_table(small):
    share = findings.early_intervention_programmes(small)
    figure = MEASURES["early_intervention_share"](small)
    assert (share.numerator, share.denominator) == (figure.numerator, figure.denominator) == (0, 4)
    types = pd.Series(["Early intervention", "CAPVA", "DA", "DA: out-of-court (e.g. CARA)"])
    assert list(breakdowns.is_early_intervention(types)) == [True, True, False, False]


def test_early_intervention_on_the_bundled_wave_matches_its_table(bundled):
    share = findings.early_intervention_programmes(bundled)
    assert share.numerator == len(breakdowns.early_intervention(bundled)) > 0
    assert share.denominator == len(bundled.programmes)


def test_most_given_answer_is_the_largest_count_first_in_schema_order_on_ties(small):
    top = findings.most_given_answer(small, questions.VICTIM_SUPPORT)
    shares = questions.question_shares(small, questions.VICTIM_SUPPORT)
    best = int(shares["areas"].max())
    assert top.answer == shares.loc[shares["areas"] == best, "answer"].iloc[0]
    assert top.label.startswith(f"{best} of 3 ")


def test_question_shares_count_what_the_question_counts(small):
    programmes = questions.question_shares(small, questions.RISK_LEVELS)
    assert list(programmes.columns[:3]) == ["answer", "programmes", "total_programmes"]
    areas = questions.question_shares(small, questions.COHORTS)
    assert set(areas["responding_areas"]) == {3}
    assert questions.COHORTS.count_column == "areas"
    assert questions.RISK_LEVELS.out_of == "Programmes"


def test_funding_sources_by_area_names_the_answer_column(small):
    frame = questions.funding_sources_by_area(small)
    assert list(frame.columns) == ["area_code", "area", "region", "funding_source"]


def test_a_views_values_are_counted_by_their_own_provenance(small):
    records = composition.record_mix(small)
    mix = composition.view_mix(records, small)
    assert mix == composition.provenance_mix(small)  # the whole view: every value
    assert mix.total == len(small.value_provenance)
    wales = small.filter(countries=["Wales"])
    assert composition.view_mix(records, wales) == composition.provenance_mix(wales)
    table = composition.provenance_table(records, small).set_index("values")
    assert table.loc["All values", "total"] == mix.total
    assert table.loc["All values", "cite a public source"] == mix.citing


def test_summarise_check_counts_matches_and_names_differences_leaving_policy_facts_out():
    check = pd.DataFrame(
        {"id": ["a", "b", "c", "d"], "matches": [True, False, None, True]}, dtype=object
    )
    summary = findings.summarise_check(check)
    assert summary == findings.CheckSummary(matching=2, differing=("b",))


def test_the_bundled_wave_reproduces_all_but_the_report_s_misprint(bundled):
    summary = findings.summarise_check(findings.check_figures(bundled))
    assert summary.differing == ("evaluation_any_percent",)
    assert summary.matching > 20


def test_wave_table_keeps_the_columns_in_order_even_when_empty():
    assert list(findings.wave_table([]).columns) == list(findings.WAVE_COLUMNS)
    row = dict.fromkeys(findings.WAVE_COLUMNS, "x")
    assert findings.wave_table([row]).iloc[0]["sha256"] == "x"


def test_definitions_list_each_term_once():
    terms = findings.definitions()["term"]
    assert terms.is_unique and "Did not respond" in set(terms)


def test_metric_value_shows_percent_figures_as_percent_and_counts_out_of_their_base(small):
    accredited = MEASURES["accredited_share"](small)
    shown = findings.metric_value(accredited)
    assert shown.startswith(f"{accredited.numerator:.0f} of {accredited.denominator:.0f} (")
    assert findings.metric_value(MEASURES["respondents"](small)) == "3 of 43 (7%)"


def test_headlines_beside_published_figures_only_when_compared(bundled):
    compared = findings.headlines(bundled, compare=True)
    assert len(compared.cards) == len(findings.HEADLINES)
    evaluation = next(c for c in compared.cards if c.figure.id == "evaluation_any")
    assert [p.matches for p in evaluation.published] == [True, False]  # the '76% (26)' misprint
    assert "differs" in evaluation.published[1].text
    assert set(compared.table["matches"]) == {True, False}
    alone = findings.headlines(bundled, compare=False)
    assert all(not c.published for c in alone.cards)
    assert "published" not in alone.table.columns and len(alone.table) == len(findings.HEADLINES)


def test_a_top_answer_reads_in_a_sentence_with_its_abbreviations_kept():
    assert findings.TopAnswer("IDVA", "33 of 33").in_sentence == "IDVA"
    assert findings.TopAnswer("Integrated support", "x").in_sentence == "integrated support"
    assert findings.TopAnswer("MARAC and MATAC", "x").in_sentence == "MARAC and MATAC"
    assert findings.TopAnswer("Multi-agency panels", "x").in_sentence == "multi-agency panels"

"""Issue 11 point 4, the signed-in half of the small-numbers rule: an office's answers that are
not published (its return in the open round) are shown on its own area's profile to that office
and to administrators while signed in, beside the published answers; a reader or another area's
office sees nothing of them. The rule is written on the About page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from landscape.model.landscape import build_landscape
from landscape.model.profile import UNPUBLISHED_MARK, UNPUBLISHED_RULE, unpublished_answers
from landscape.schema import AREAS
from landscape.store.access import Principal
from landscape.store.rounds import ReturnStatus, Rounds
from landscape.store.waves import Store, open_store
from tests.app_support import DEFAULT_PAGE, TIMEOUT, tables_shown
from tests.round_support import ESSEX_OFFICE, edited_areas_row, open_round
from tests.store_support import ADMIN, CAMBRIDGESHIRE, CAMBS_OFFICE
from ui import registry

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(store_env) -> Iterator[Store]:
    """The bundled wave (Cambridgeshire: strategic board Yes), a round open, and Cambridgeshire's
    office's draft return answering No."""
    store = open_store(store_env)
    rounds = Rounds(store)
    opened = open_round(rounds)
    _, data = rounds.prefilled_return(CAMBS_OFFICE, opened.round_id)
    rounds.upload_return(
        CAMBS_OFFICE, opened.round_id, edited_areas_row(data, strategic_board="No"), "r.xlsx"
    )
    st.cache_data.clear()
    st.cache_resource.clear()
    yield store
    st.cache_data.clear()
    st.cache_resource.clear()


def board_question() -> str:
    return next(c.description for c in AREAS.columns if c.name == "strategic_board")


# --- the store: who may see a return that is not published ------------------------------------


def test_only_the_areas_office_and_administrators_get_its_unpublished_return(store):
    rounds = Rounds(store)
    own = rounds.unpublished_return(CAMBS_OFFICE, CAMBRIDGESHIRE)
    assert own is not None
    assert (own.version.version, own.status) == (1, ReturnStatus.DRAFT)
    returned = own.returned.areas
    assert list(returned["area_code"]) == [CAMBRIDGESHIRE]
    assert returned.iloc[0]["strategic_board"] == "No"
    admin = rounds.unpublished_return(ADMIN, CAMBRIDGESHIRE)
    assert admin is not None and admin.version == own.version
    assert rounds.unpublished_return(ESSEX_OFFICE, CAMBRIDGESHIRE) is None
    assert rounds.unpublished_return(None, CAMBRIDGESHIRE) is None
    # an area that has returned nothing has nothing unpublished, even for its own office
    assert rounds.unpublished_return(ESSEX_OFFICE, ESSEX_OFFICE.area_code or "") is None


def test_with_no_open_round_nothing_is_unpublished(store_env):
    store = open_store(store_env)
    assert Rounds(store).unpublished_return(CAMBS_OFFICE, CAMBRIDGESHIRE) is None


# --- the model: the return beside the published answers ----------------------------------------


def test_the_return_is_set_beside_the_published_answers_and_only_changes_are_marked(store):
    found = Rounds(store).unpublished_return(CAMBS_OFFICE, CAMBRIDGESHIRE)
    assert found is not None
    published = build_landscape(store.load_survey(store.latest_wave_id()))
    shown = unpublished_answers(published, CAMBRIDGESHIRE, found.returned)
    marked = shown.answers[shown.answers["mark"] != ""]
    assert marked.to_dict("records") == [
        {
            "question": board_question(),
            "published": "Yes",
            "in the return": "No",
            "mark": UNPUBLISHED_MARK,
        }
    ]
    assert len(shown.answers) > 15  # every Areas question, changed or not
    assert shown.programmes.empty  # the programmes came back as published
    assert shown.published_programmes == shown.returned_programmes == 4
    assert shown.changed == 1


def test_a_programme_the_return_drops_is_listed_answer_by_answer(store):
    found = Rounds(store).unpublished_return(CAMBS_OFFICE, CAMBRIDGESHIRE)
    assert found is not None
    published = build_landscape(store.load_survey(store.latest_wave_id()))
    first = found.returned.programmes.iloc[0]["programme_name"]
    dropped = found.returned.programmes.iloc[1:].reset_index(drop=True)
    returned = type(found.returned)(found.returned.areas, dropped, found.returned.provenance)
    shown = unpublished_answers(published, CAMBRIDGESHIRE, returned)
    assert set(shown.programmes["programme"]) == {first}
    assert set(shown.programmes["in the return"]) == {"(no such programme)"}
    assert shown.returned_programmes == 3


# --- the page: the office of the area and administrators see it, no one else -----------------


def area_page(principal: Principal | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["area"] = CAMBRIDGESHIRE
    if principal is not None:
        at.session_state["landscape_principal"] = principal
    at.run()
    assert DEFAULT_PAGE != "area"
    at.switch_page(registry.page("area").path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def draft_tables(at: AppTest) -> list[pd.DataFrame]:
    return [
        d
        for d in tables_shown(at)
        if d.astype(str).isin([UNPUBLISHED_MARK]).any().any()
        or d.astype(str).isin(["in the return"]).any().any()
    ]


def unpublished_headings(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader if "not published" in s.value]


@pytest.mark.parametrize("principal", [CAMBS_OFFICE, ADMIN], ids=["own office", "admin"])
def test_the_areas_office_and_an_administrator_see_its_draft_beside_the_published_answers(
    store, principal
):
    at = area_page(principal)
    assert unpublished_headings(at) == ["Cambridgeshire's return in the open round: not published"]
    tables = draft_tables(at)
    assert len(tables) == 1
    table = tables[0]
    board = table[table.iloc[:, 0] == board_question()]
    assert board.iloc[0].tolist() == [board_question(), "Yes", "No", UNPUBLISHED_MARK]
    assert (table.iloc[:, 3] == UNPUBLISHED_MARK).sum() == 1  # nothing else is marked changed
    assert any("unpublished" in str(b.key) for b in at.download_button)
    summary = "\n".join(str(i.value) for i in at.info).replace("\\", "")
    assert "Cambridgeshire's return in APCC 2026 survey" in summary
    assert "version 1, draft" in summary and "changes 1 answer of the published wave" in summary
    # the published answers are still those of the wave: the draft is only beside them
    answers = next(d for d in tables_shown(at) if "Provenance" in map(str, d.columns))
    assert "Yes" in answers[answers.iloc[:, 0] == board_question()].iloc[0].tolist()


@pytest.mark.parametrize(
    "principal", [ESSEX_OFFICE, None], ids=["another area's office", "anonymous reader"]
)
def test_another_areas_office_and_a_reader_see_nothing_of_the_draft(store, principal):
    at = area_page(principal)
    assert unpublished_headings(at) == []
    assert draft_tables(at) == []
    text = "\n".join(str(e.value) for e in [*at.markdown, *at.info, *at.caption])
    assert UNPUBLISHED_MARK not in text
    assert "APCC 2026 survey" not in text
    assert [b.key for b in at.download_button if "unpublished" in str(b.key)] == []


def test_the_about_page_states_both_parts_of_the_rule(store):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.switch_page(registry.page("about").path).run()
    assert not at.exception
    text = "\n".join(str(m.value) for m in at.markdown).replace("\\", "")
    assert "fewer than 3 areas or programmes is shown as a count" in text
    assert UNPUBLISHED_RULE in text
    assert "only while that office or an APCC administrator is signed in" in text

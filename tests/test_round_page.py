"""A whole survey round on the Upload page, under AppTest: the admin opens it, three offices
return (one twice, one as the whole workbook), one returns nothing, the admin accepts and
publishes, and the new wave records the non-returner as did not respond."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from landscape.intake.template import survey_workbook_bytes
from landscape.model.landscape import build_landscape
from landscape.schema import AREAS, ResponseStatus
from landscape.store.access import Principal
from landscape.store.rounds import Rounds
from landscape.store.waves import Store, open_store
from tests.round_support import (
    CUMBRIA,
    CUMBRIA_OFFICE,
    ESSEX_OFFICE,
    SURREY,
    SURREY_OFFICE,
    areas_row_of,
    edited_areas_row,
    edited_row,
    store_with_wave,
)
from tests.store_support import ADMIN, CAMBRIDGESHIRE, CAMBS_OFFICE, ESSEX

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "upload.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def store(store_env) -> Store:
    store = store_with_wave(open_store(store_env, seed=False))
    st.cache_data.clear()
    return store


def page(principal: Principal | None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    if principal is not None:
        at.session_state["landscape_principal"] = principal
    return at.run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def shown(at: AppTest) -> str:
    """Every message on the page as read (ui.layout.plain's escapes removed)."""
    elements = [*at.markdown, *at.info, *at.success, *at.error, *at.caption]
    return "\n".join(str(e.value) for e in elements).replace("\\", "")


def open_the_round() -> None:
    at = page(ADMIN)
    next(t for t in at.text_input if t.label == "Round label").input("APCC 2026 survey")
    next(t for t in at.text_input if t.label == "Survey period").input("2025-26")
    next(d for d in at.date_input if d.label == "Deadline for returns").set_value(
        dt.date(2026, 3, 31)
    )
    button(at, "Open the round").click()
    at.run()
    assert not at.exception
    assert "Opened APCC 2026 survey (2025-26), due 31 March 2026" in shown(at)


def office_saves(office: Principal, data: bytes, name: str = "return.xlsx") -> AppTest:
    at = page(office)
    assert "Download your return (.xlsx)" in [b.label for b in at.download_button]
    at.file_uploader[0].upload(name, data, XLSX)
    at.run()
    assert not at.exception, at.exception
    assert "What will change" in [s.value for s in at.subheader]
    button(at, "Save as a draft").click()
    at.run()
    assert not at.exception
    return at


def submits(office: Principal) -> None:
    at = page(office)
    button(at, "Submit your latest version to the APCC").click()
    at.run()
    assert "Submitted version" in shown(at)


def prefilled(store: Store, office: Principal, **answers) -> bytes:
    rounds = Rounds(store)
    current = rounds.current_round(office)
    assert current is not None
    _, data = rounds.prefilled_return(office, current.round_id)
    return edited_areas_row(data, **answers)


def test_a_whole_round_from_opening_to_the_published_wave(store):
    open_the_round()

    # Cambridgeshire returns twice: two versions, neither overwritten.
    at = office_saves(CAMBS_OFFICE, prefilled(store, CAMBS_OFFICE, strategic_board="No"))
    assert "Saved as draft version 1" in shown(at)
    at = office_saves(CAMBS_OFFICE, prefilled(store, CAMBS_OFFICE, monitoring_frequency="Monthly"))
    assert "Saved as draft version 2" in shown(at)
    versions = at.dataframe[-1].value
    assert list(versions["version"]) == [1, 2]
    submits(CAMBS_OFFICE)

    # Essex sends back the whole workbook with only its own row changed.
    whole = survey_workbook_bytes(store.load_survey(store.latest_wave_id()))
    essex_row = areas_row_of(whole, "Essex")
    at = page(ESSEX_OFFICE)
    at.file_uploader[0].upload(
        "whole.xlsx", edited_row(whole, AREAS.name, essex_row, strategic_board="Yes"), XLSX
    )
    at.run()
    assert "The rows of 3 other areas, unchanged from the published wave, were ignored" in shown(at)
    changes = at.dataframe[0].value
    assert changes.to_dict(orient="records") == [
        {
            "area": "Essex",
            "programme": "",
            "answer": "strategic_board",
            "before": "No",
            "after": "Yes",
        }
    ]
    button(at, "Save as a draft").click()
    at.run()
    # Essex sees its own version only: Cambridgeshire's drafts are not its business.
    assert list(at.dataframe[-1].value["version"]) == [1]
    assert list(at.dataframe[-1].value["other areas ignored"]) == [3]
    submits(ESSEX_OFFICE)

    office_saves(CUMBRIA_OFFICE, prefilled(store, CUMBRIA_OFFICE))
    submits(CUMBRIA_OFFICE)

    # Surrey returns nothing.
    assert "Your return: not started." in shown(page(SURREY_OFFICE))

    # Embargo: a reader sees nothing of the round, and no wave has been made.
    reader = page(None)
    assert "Survey round" not in [s.value for s in reader.subheader]
    assert len(store.list_waves()) == 1

    admin = page(ADMIN)
    tracker = admin.dataframe[0].value.set_index("area")
    assert tracker.loc["Cambridgeshire", "status"] == "submitted"
    assert tracker.loc["Cambridgeshire", "version"] == 2
    assert tracker.loc["Essex", "uploaded by"] == "essex"
    assert tracker.loc["Surrey", "status"] == "not started"
    assert "Returns: 3 submitted, 40 not started." in shown(admin)
    assert "Download the outstanding areas (.csv)" in [b.label for b in admin.download_button]
    for code in (CAMBRIDGESHIRE, ESSEX, CUMBRIA):
        admin.selectbox(key="decide_area").set_value(code)
        button(admin, "Accept").click()
        admin.run()
        assert not admin.exception
    tracker = admin.dataframe[0].value.set_index("area")
    assert list(tracker.loc[["Cambridgeshire", "Essex", "Cumbria"], "status"]) == ["accepted"] * 3
    assert tracker.loc["Cumbria", "by"] == "alice"

    button(admin, "Publish the round").click()
    admin.run()
    assert not admin.exception
    message = shown(admin)
    assert "Published APCC 2026 survey as wave 2; 40 areas recorded as did not respond" in message
    assert "Surrey" in message

    wave = store.wave("2")
    assert (wave.label, wave.area_count) == ("APCC 2026 survey", 43)
    model = build_landscape(store.load_survey("2"))
    status = model.areas["response_status"]
    assert status[SURREY] == ResponseStatus.DID_NOT_RESPOND
    assert status[CAMBRIDGESHIRE] == status[ESSEX] == status[CUMBRIA] == "Responded"
    cambs = model.areas.loc[CAMBRIDGESHIRE]
    assert cambs["monitoring_frequency"] == "Monthly"  # version 2, the one submitted
    assert model.areas.loc[ESSEX, "strategic_board"] == "Yes"
    assert not model.programmes["area_code"].eq(SURREY).any()  # nothing carried forward


def test_an_office_in_a_round_is_pointed_to_the_guide_beside_its_return(store):
    open_the_round()
    at = page(CAMBS_OFFICE)
    assert not at.exception
    assert "Download your return (.xlsx)" in [b.label for b in at.download_button]
    assert (
        "How to fill it in and send it back: Returning your area's answers: a guide for PCC "
        "offices, at the top of this page."
    ) in shown(at)
    labels = [e.label for e in at.expander]
    assert "Returning your area's answers: a guide for PCC offices" in labels

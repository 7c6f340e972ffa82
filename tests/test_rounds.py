"""Survey rounds in the store: open, prefilled returns, versioned drafts, tracker, publish."""

from __future__ import annotations

import io

import openpyxl
import pytest
import sqlalchemy as sa

from landscape.intake.template import survey_workbook_bytes
from landscape.intake.validate import load_survey
from landscape.schema import AREAS, PROGRAMMES
from landscape.store.access import AccessDenied, NotSignedIn
from landscape.store.errors import StoreError
from landscape.store.rounds import ReturnStatus, Rounds, schema_questions
from landscape.store.tables import round_returns
from tests.round_support import (
    CUMBRIA,
    CUMBRIA_OFFICE,
    DEADLINE,
    ESSEX_OFFICE,
    SURREY,
    areas_row_of,
    edited_areas_row,
    edited_row,
    open_round,
    store_with_wave,
)
from tests.store_support import ADMIN, CAMBRIDGESHIRE, CAMBS_OFFICE, ESSEX


@pytest.fixture
def rounds(store) -> Rounds:
    return Rounds(store_with_wave(store))


def office_return(rounds: Rounds, round_id: int, office, **answers) -> bytes:
    _, data = rounds.prefilled_return(office, round_id)
    return edited_areas_row(data, **answers) if answers else data


# --- opening --------------------------------------------------------------------------------


def test_an_admin_opens_a_round_with_the_questions_of_the_current_schema(rounds):
    opened = open_round(rounds)
    assert (opened.label, opened.period, opened.is_open) == (
        "APCC 2026 survey",
        "April 2025 to March 2026",
        True,
    )
    assert opened.questions == schema_questions()
    assert "response_status" in opened.questions[AREAS.name]
    assert "programme_type" in opened.questions[PROGRAMMES.name]
    assert "notes" not in opened.questions[AREAS.name]


def test_only_an_admin_opens_a_round_and_only_one_at_a_time(rounds):
    with pytest.raises(AccessDenied, match="Only an APCC administrator may open"):
        rounds.open_round(CAMBS_OFFICE, label="X", period="Y", deadline=DEADLINE)
    open_round(rounds)
    with pytest.raises(StoreError, match="'APCC 2026 survey' is still open"):
        open_round(rounds, label="Another")


def test_readers_see_nothing_of_a_round(rounds):
    open_round(rounds)
    for call in (rounds.rounds, rounds.current_round):
        with pytest.raises(NotSignedIn):
            call(None)


# --- the prefilled return -------------------------------------------------------------------


def test_the_prefilled_return_holds_the_areas_answers_and_programmes_with_the_area_locked(rounds):
    opened = open_round(rounds)
    filename, data = rounds.prefilled_return(CAMBS_OFFICE, opened.round_id)
    assert filename == "apcc-2026-survey-return-cambridgeshire.xlsx"
    returned = load_survey(data, filename)
    published = rounds.store.load_survey(rounds.store.latest_wave_id())
    assert list(returned.areas["area_code"]) == [CAMBRIDGESHIRE]
    assert returned.areas.iloc[0]["respondent_body"] == "Cambridgeshire PCC"
    assert list(returned.programmes["programme_name"]) == list(
        published.programmes.loc[
            published.programmes["area_code"] == CAMBRIDGESHIRE, "programme_name"
        ]
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    areas = book[AREAS.name]
    assert areas.protection.sheet is True
    assert areas["A2"].protection.locked is True
    assert areas["B2"].protection.locked is False
    area_lists = [
        v.formula1
        for v in book[PROGRAMMES.name].data_validations.dataValidation
        if str(v.sqref).startswith("A2:")
    ]
    assert area_lists == ['"Cambridgeshire"']
    assert "Cambridgeshire's return for APCC 2026 survey" in book["Instructions"]["A2"].value


def test_an_office_cannot_download_another_areas_return(rounds):
    opened = open_round(rounds)
    with pytest.raises(AccessDenied, match="only Cambridgeshire's"):
        rounds.prefilled_return(CAMBS_OFFICE, opened.round_id, ESSEX)


# --- drafts, versions and visibility --------------------------------------------------------


def test_every_upload_is_a_new_version_and_none_is_overwritten(rounds):
    opened = open_round(rounds)
    first = rounds.upload_return(
        CAMBS_OFFICE,
        opened.round_id,
        office_return(rounds, opened.round_id, CAMBS_OFFICE, strategic_board="No"),
        "v1.xlsx",
    )
    v2 = office_return(
        rounds, opened.round_id, CAMBS_OFFICE, strategic_board="Yes", monitoring_frequency="Monthly"
    )
    second = rounds.upload_return(CAMBS_OFFICE, opened.round_id, v2, "v2.xlsx")
    again = rounds.upload_return(CAMBS_OFFICE, opened.round_id, v2, "v2 again.xlsx")
    assert (first.version, second.version, again.version) == (1, 2, 2)
    versions = rounds.returns(CAMBS_OFFICE, opened.round_id)
    assert [(v.version, v.filename) for v in versions] == [(1, "v1.xlsx"), (2, "v2.xlsx")]
    assert rounds.return_file(CAMBS_OFFICE, first.return_id)[0] == "v1.xlsx"


def test_a_stored_version_cannot_be_changed_even_in_sql(rounds):
    opened = open_round(rounds)
    rounds.upload_return(
        CAMBS_OFFICE,
        opened.round_id,
        office_return(rounds, opened.round_id, CAMBS_OFFICE),
        "v1.xlsx",
    )
    with (
        pytest.raises(sa.exc.DatabaseError, match="never changed or deleted"),
        rounds.engine.begin() as conn,
    ):
        conn.execute(round_returns.update().values(filename="changed.xlsx"))


def test_drafts_are_seen_by_their_office_and_admins_only(rounds):
    opened = open_round(rounds)
    version = rounds.upload_return(
        CAMBS_OFFICE,
        opened.round_id,
        office_return(rounds, opened.round_id, CAMBS_OFFICE),
        "v1.xlsx",
    )
    assert [v.area_code for v in rounds.returns(ADMIN, opened.round_id)] == [CAMBRIDGESHIRE]
    assert rounds.returns(ESSEX_OFFICE, opened.round_id) == []
    with pytest.raises(StoreError, match="no return"):
        rounds.return_file(ESSEX_OFFICE, version.return_id)
    with pytest.raises(NotSignedIn):
        rounds.returns(None, opened.round_id)
    assert [row.area_code for row in rounds.tracker(ESSEX_OFFICE, opened.round_id)] == [ESSEX]
    waves_before = rounds.store.list_waves()
    assert len(waves_before) == 1  # embargo: nothing of the round is a wave yet


# --- a whole workbook sent back -------------------------------------------------------------


def test_a_whole_workbook_with_only_the_own_row_changed_is_taken_and_says_so(rounds):
    opened = open_round(rounds)
    published = rounds.store.load_survey(rounds.store.latest_wave_id())
    whole = survey_workbook_bytes(published)
    own = areas_row_of(whole, "Essex")
    data = edited_row(whole, AREAS.name, own, strategic_board="Yes")
    prepared = rounds.prepare_return(ESSEX_OFFICE, opened.round_id, data, "whole.xlsx")
    assert prepared.scope.ignored == tuple(sorted({CAMBRIDGESHIRE, CUMBRIA, SURREY}))
    assert prepared.scope.summary == (
        "The rows of 3 other areas, unchanged from the published wave, were ignored: only your "
        "own area's rows are taken."
    )
    assert list(prepared.returned.areas["area_code"]) == [ESSEX]
    assert [
        (c.area, c.programme, c.answer, c.before, c.after)
        for c in prepared.preview().changes_table().itertuples()
    ] == [("Essex", "", "strategic_board", "No", "Yes")]


def test_a_whole_workbook_that_changes_another_area_is_refused_naming_that_row_alone(rounds):
    opened = open_round(rounds)
    whole = survey_workbook_bytes(rounds.store.load_survey(rounds.store.latest_wave_id()))
    cumbria = areas_row_of(whole, "Cumbria")
    data = edited_row(whole, AREAS.name, cumbria, strategic_board="No")
    with pytest.raises(AccessDenied) as refused:
        rounds.prepare_return(ESSEX_OFFICE, opened.round_id, data, "whole.xlsx")
    assert [(p.location, p.message) for p in refused.value.problems] == [
        (
            f"Areas!A{cumbria}",
            "This row changes Cumbria (strategic_board); your account may change only Essex",
        )
    ]
    assert refused.value.summary().count("..") == 0


def test_a_whole_workbook_changing_two_other_areas_is_refused_naming_each_row_alone(rounds):
    """Essex sends back the whole workbook having changed Cambridgeshire's row, Cumbria's row and
    Cumbria's programme: three messages, one for each row, each naming its cell and its area;
    Cambridgeshire's programmes and Surrey's row came back as published and are not named, and
    the summary says Surrey's rows were ignored."""
    opened = open_round(rounds)
    whole = survey_workbook_bytes(rounds.store.load_survey(rounds.store.latest_wave_id()))
    cambs, cumbria = areas_row_of(whole, "Cambridgeshire"), areas_row_of(whole, "Cumbria")
    data = edited_row(whole, AREAS.name, areas_row_of(whole, "Essex"), strategic_board="Yes")
    data = edited_row(data, AREAS.name, cambs, strategic_board="No")
    data = edited_row(
        data, AREAS.name, cumbria, strategic_board="No", monitoring_frequency="Monthly"
    )
    data = edited_row(data, PROGRAMMES.name, 5, provider="Victim Support")
    with pytest.raises(AccessDenied) as refused:
        rounds.prepare_return(ESSEX_OFFICE, opened.round_id, data, "whole.xlsx")
    own = "; your account may change only Essex"
    assert [(p.sheet, p.cell, p.value, p.message) for p in refused.value.problems] == [
        (
            AREAS.name,
            f"A{cambs}",
            "Cambridgeshire",
            f"This row changes Cambridgeshire (strategic_board){own}",
        ),
        (
            AREAS.name,
            f"A{cumbria}",
            "Cumbria",
            f"This row changes Cumbria (strategic_board, monitoring_frequency){own}",
        ),
        (
            PROGRAMMES.name,
            "A5",
            "Cumbria",
            f"This row changes Cumbria's programme 'Turning the Spotlight' (provider){own}",
        ),
    ]
    assert refused.value.summary() == (
        "An area office can change only its own area (Essex); this upload changes the rows of 2 "
        "other areas (Cambridgeshire, Cumbria), each row named below; the rows of 1 other area "
        "(Surrey), unchanged from the published wave, were ignored. Upload only your own area's "
        "rows (your return), or leave the other rows as they were downloaded."
    )
    assert rounds.returns(ADMIN, opened.round_id) == []


# --- tracker, decisions, publishing ---------------------------------------------------------


def test_the_tracker_shows_each_areas_status_time_and_uploader(rounds):
    opened = open_round(rounds)
    rid = opened.round_id
    rounds.upload_return(CAMBS_OFFICE, rid, office_return(rounds, rid, CAMBS_OFFICE), "c.xlsx")
    rounds.upload_return(ESSEX_OFFICE, rid, office_return(rounds, rid, ESSEX_OFFICE), "e.xlsx")
    rounds.submit_return(ESSEX_OFFICE, rid)
    rounds.upload_return(CUMBRIA_OFFICE, rid, office_return(rounds, rid, CUMBRIA_OFFICE), "u.xlsx")
    rounds.submit_return(CUMBRIA_OFFICE, rid)
    rounds.accept_return(ADMIN, rid, CUMBRIA)
    rows = {row.area_code: row for row in rounds.tracker(ADMIN, rid)}
    assert len(rows) == 43
    assert rows[CAMBRIDGESHIRE].status is ReturnStatus.DRAFT
    assert rows[CAMBRIDGESHIRE].uploaded_by == "cambs"
    assert rows[ESSEX].status is ReturnStatus.SUBMITTED
    assert (rows[CUMBRIA].status, rows[CUMBRIA].status_by) == (ReturnStatus.ACCEPTED, "alice")
    assert rows[CUMBRIA].status_at is not None
    assert rows[SURREY].status is ReturnStatus.NOT_STARTED
    outstanding = {row.area_code for row in rounds.outstanding(ADMIN, rid)}
    assert CAMBRIDGESHIRE in outstanding and SURREY in outstanding
    assert ESSEX not in outstanding and CUMBRIA not in outstanding
    assert len(outstanding) == 41


def test_an_accepted_return_is_not_replaced_until_it_is_reopened(rounds):
    opened = open_round(rounds)
    rid = opened.round_id
    rounds.upload_return(CAMBS_OFFICE, rid, office_return(rounds, rid, CAMBS_OFFICE), "c.xlsx")
    rounds.submit_return(CAMBS_OFFICE, rid)
    rounds.accept_return(ADMIN, rid, CAMBRIDGESHIRE)
    changed = office_return(rounds, rid, CAMBS_OFFICE, strategic_board="No")
    with pytest.raises(StoreError, match="was accepted"):
        rounds.upload_return(CAMBS_OFFICE, rid, changed, "c2.xlsx")
    with pytest.raises(AccessDenied):
        rounds.reopen_return(CAMBS_OFFICE, rid, CAMBRIDGESHIRE)
    rounds.reopen_return(ADMIN, rid, CAMBRIDGESHIRE)
    assert rounds.upload_return(CAMBS_OFFICE, rid, changed, "c2.xlsx").version == 2


def test_publishing_waits_for_a_decision_on_every_submitted_return(rounds):
    opened = open_round(rounds)
    rid = opened.round_id
    rounds.upload_return(ESSEX_OFFICE, rid, office_return(rounds, rid, ESSEX_OFFICE), "e.xlsx")
    rounds.submit_return(ESSEX_OFFICE, rid)
    with pytest.raises(StoreError, match="wait for a decision: Essex"):
        rounds.publish_round(ADMIN, rid)
    with pytest.raises(AccessDenied):
        rounds.publish_round(ESSEX_OFFICE, rid)
    assert len(rounds.store.list_waves()) == 1


def test_publishing_makes_one_wave_of_accepted_returns_and_did_not_respond_for_the_rest(rounds):
    opened = open_round(rounds)
    rid = opened.round_id
    for office, answers in (
        (CAMBS_OFFICE, {"strategic_board": "No"}),
        (ESSEX_OFFICE, {"monitoring_frequency": "Quarterly"}),
    ):
        rounds.upload_return(office, rid, office_return(rounds, rid, office, **answers), "r.xlsx")
        rounds.submit_return(office, rid)
        rounds.accept_return(ADMIN, rid, str(office.area_code))
    # Cumbria uploads a draft but never submits it: it did not respond in this round.
    rounds.upload_return(CUMBRIA_OFFICE, rid, office_return(rounds, rid, CUMBRIA_OFFICE), "d.xlsx")
    published = rounds.publish_round(ADMIN, rid)
    waves = rounds.store.list_waves()
    assert len(waves) == 2 and published.created
    assert (published.wave.label, published.wave.area_count) == ("APCC 2026 survey", 43)
    survey = rounds.store.load_survey(published.wave.wave_id)
    status = dict(zip(survey.areas["area_code"], survey.areas["response_status"], strict=True))
    assert status[CAMBRIDGESHIRE] == status[ESSEX] == "Responded"
    assert status[CUMBRIA] == status[SURREY] == "Did not respond"
    assert sum(v == "Did not respond" for v in status.values()) == 41
    cambs = survey.areas.set_index("area_code").loc[CAMBRIDGESHIRE]
    assert cambs["strategic_board"] == "No"
    cumbria = survey.areas.set_index("area_code").loc[CUMBRIA]
    assert cumbria["commissions_da_programmes"] is None  # nothing carried forward
    assert set(survey.programmes["area_code"]) == {CAMBRIDGESHIRE, ESSEX}
    assert CUMBRIA in published.did_not_respond and "Cumbria" in published.message
    closed = rounds.round(ADMIN, rid)
    assert (closed.status, closed.wave_id) == ("published", published.wave.wave_id)
    with pytest.raises(StoreError, match="closed"):
        rounds.upload_return(
            CAMBS_OFFICE, rid, office_return(rounds, rid, CAMBS_OFFICE), "late.xlsx"
        )
    with pytest.raises(StoreError, match="already published"):
        rounds.publish_round(ADMIN, rid)


def _with_provenance_rows(data: bytes, *rows: list[object]) -> bytes:
    """The return with these rows on its Provenance sheet (as an office cites a document)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Provenance"]
    for number, values in enumerate(rows, start=2):
        for position, value in enumerate(values, start=1):
            sheet.cell(row=number, column=position, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_published_round_carries_each_values_provenance_from_the_returns(rounds):
    from landscape.model.landscape import build_landscape

    opened = open_round(rounds)
    rid = opened.round_id
    # the builders' wave marks Cambridgeshire's row Sourced and Essex's Illustrative: a return
    # prefilled from it is still the office's own answer, so Reported
    cited = ["Areas", "Cambridgeshire", None, "strategic_board", "Sourced", "Board minutes", "4"]
    cambs = _with_provenance_rows(
        office_return(rounds, rid, CAMBS_OFFICE, strategic_board="Yes"), cited
    )
    for office, data in ((CAMBS_OFFICE, cambs), (ESSEX_OFFICE, None)):
        rounds.upload_return(office, rid, data or office_return(rounds, rid, office), "r.xlsx")
        rounds.submit_return(office, rid)
        rounds.accept_return(ADMIN, rid, str(office.area_code))
    published = rounds.publish_round(ADMIN, rid)
    survey = rounds.store.load_survey(published.wave.wave_id)
    assert published.wave.illustrative is False
    # the return's own Provenance row is in the published wave, with its citation
    rows = survey.provenance.to_dict("records")
    assert [(r["area_code"], r["column"], r["provenance"], r["document"]) for r in rows] == [
        (CAMBRIDGESHIRE, "strategic_board", "Sourced", "Board minutes")
    ]
    # every row an office returned is Reported; the areas that did not return have none
    respondents = survey.areas[survey.areas["area_code"].isin([CAMBRIDGESHIRE, ESSEX])]
    assert set(respondents["provenance"]) == {"Reported"}
    assert set(survey.programmes["provenance"]) == {"Reported"}
    values = build_landscape(survey).value_provenance
    by_kind = values.groupby("provenance").size().to_dict()
    assert set(by_kind) == {"Reported", "Sourced"} and by_kind["Sourced"] == 1
    silent = values[~values["area_code"].isin([CAMBRIDGESHIRE, ESSEX])]
    assert set(silent["column"]) == {"response_status"}  # a non-respondent answered nothing
    board = values[
        (values["area_code"] == CAMBRIDGESHIRE) & (values["column"] == "strategic_board")
    ]
    assert list(board["section"]) == ["4"]


def test_a_round_waves_dates_are_read_as_of_the_end_of_its_survey_period(rounds):
    """Issue 18: "already ended" is counted against the round's period (April 2025 to March 2026:
    31 March 2026), not today; a wave published without a round, a report or a survey date is
    read as of the day it was published."""
    import datetime as dt

    from landscape.model.reference_date import PUBLISHED_BASIS, wave_reference_date

    opened = open_round(rounds)
    rid = opened.round_id
    rounds.upload_return(CAMBS_OFFICE, rid, office_return(rounds, rid, CAMBS_OFFICE), "r.xlsx")
    rounds.submit_return(CAMBS_OFFICE, rid)
    rounds.accept_return(ADMIN, rid, CAMBRIDGESHIRE)
    published = rounds.publish_round(ADMIN, rid)
    earlier, wave = rounds.store.list_waves()
    assert wave.wave_id == published.wave.wave_id
    assert (earlier.round_period, wave.round_period) == (None, "April 2025 to March 2026")
    reference = wave_reference_date(
        wave.wave_kind, round_period=wave.round_period, published=wave.uploaded_at
    )
    assert reference is not None
    assert reference.text == (
        "31 March 2026, the end of the round's survey period (April 2025 to March 2026)"
    )
    before = wave_reference_date(
        earlier.wave_kind, round_period=earlier.round_period, published=earlier.uploaded_at
    )
    assert before is not None
    assert (before.on, before.basis) == (earlier.uploaded_at.date(), PUBLISHED_BASIS)
    assert before.on != dt.date(2026, 3, 31)


# --- publishing races reopen and accept (one lock) ----------------------------------------------


def _race_during_publish(rounds: Rounds, monkeypatch, act) -> dict[str, object]:
    """Publish the open round while `act` runs in another thread from the moment the round's
    workbook is being built (the wave is decided but not stored): what `act` returned or raised."""
    import threading

    from landscape.store import rounds as rounds_module

    outcome: dict[str, object] = {}
    build = rounds_module.survey_workbook_bytes

    def racing_build(survey):
        def run() -> None:
            try:
                outcome["result"] = act()
            except StoreError as error:
                outcome["error"] = error

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(timeout=1.0)  # without the lock, `act` is done by now
        outcome["thread"] = thread
        return build(survey)

    monkeypatch.setattr(rounds_module, "survey_workbook_bytes", racing_build)
    outcome["published"] = rounds.publish_round(ADMIN, rounds.current_round(ADMIN).round_id)
    thread = outcome["thread"]
    assert isinstance(thread, threading.Thread)
    thread.join(timeout=30)
    return outcome


def test_a_reopen_racing_a_publish_waits_and_finds_the_round_closed(rounds, monkeypatch):
    rid = open_round(rounds).round_id
    rounds.upload_return(CAMBS_OFFICE, rid, office_return(rounds, rid, CAMBS_OFFICE), "c.xlsx")
    rounds.submit_return(CAMBS_OFFICE, rid)
    rounds.accept_return(ADMIN, rid, CAMBRIDGESHIRE)
    outcome = _race_during_publish(
        rounds, monkeypatch, lambda: rounds.reopen_return(ADMIN, rid, CAMBRIDGESHIRE)
    )
    assert "result" not in outcome
    assert "closed" in str(outcome["error"])
    published = outcome["published"]
    survey = rounds.store.load_survey(published.wave.wave_id)
    status = dict(zip(survey.areas["area_code"], survey.areas["response_status"], strict=True))
    assert status[CAMBRIDGESHIRE] == "Responded"
    tracker = {row.area_code: row.status for row in rounds.tracker(ADMIN, rid)}
    assert tracker[CAMBRIDGESHIRE] is ReturnStatus.ACCEPTED


def test_an_accept_racing_a_publish_is_refused_and_not_half_included(rounds, monkeypatch):
    rid = open_round(rounds).round_id
    for office in (CAMBS_OFFICE, ESSEX_OFFICE):
        rounds.upload_return(office, rid, office_return(rounds, rid, office), "r.xlsx")
    rounds.submit_return(CAMBS_OFFICE, rid)
    rounds.accept_return(ADMIN, rid, CAMBRIDGESHIRE)
    outcome = _race_during_publish(
        rounds,
        monkeypatch,
        lambda: rounds.submit_return(ESSEX_OFFICE, rid),
    )
    assert "closed" in str(outcome["error"])
    survey = rounds.store.load_survey(outcome["published"].wave.wave_id)
    status = dict(zip(survey.areas["area_code"], survey.areas["response_status"], strict=True))
    assert (status[CAMBRIDGESHIRE], status[ESSEX]) == ("Responded", "Did not respond")


def test_an_area_office_publishes_no_wave_on_any_route_while_a_round_is_open(rounds):
    open_round(rounds)
    from tests.store_support import area_only_workbook

    for attempt in (
        lambda: rounds.store.publish(
            area_only_workbook(), "c.xlsx", principal=CAMBS_OFFICE, label="Direct"
        ),
        lambda: rounds.store.prepare_upload(area_only_workbook(), "c.xlsx", CAMBS_OFFICE),
        lambda: rounds.publish_round(CAMBS_OFFICE, rounds.current_round(ADMIN).round_id),
    ):
        with pytest.raises(AccessDenied, match="Only an APCC administrator may publish"):
            attempt()
    assert len(rounds.store.list_waves()) == 1

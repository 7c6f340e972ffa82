"""The Upload page under AppTest, with its real file uploader and a temporary store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from landscape.intake.uploads import unbundle_csvs
from landscape.store.access import Principal
from landscape.store.waves import Store, open_store
from tests.builders import area_rows, programme_rows, workbook_from_rows
from tests.store_support import (
    ADMIN,
    CAMBS_OFFICE,
    snapshot,
    valid_workbook,
)

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "upload.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "alice's long password"


@pytest.fixture
def store(store_env, monkeypatch) -> Store:
    monkeypatch.setenv(
        "LANDSCAPE_ACCOUNTS",
        json.dumps({"alice": {"password_hash": FAST.hash(PASSWORD), "role": "admin"}}),
    )
    store = open_store(store_env, seed=False)
    store.publish(valid_workbook(), "existing.xlsx", principal=ADMIN, label="Existing wave")
    st.cache_data.clear()
    return store


def page(principal: Principal | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    if principal is not None:
        at.session_state["landscape_principal"] = principal
    return at.run()


def upload(at: AppTest, data: bytes, name: str = "survey.xlsx") -> AppTest:
    at.file_uploader[0].upload(name, data, XLSX)
    return at.run()


def unescaped(markdown: str) -> str:
    """Text as shown: `ui.layout.plain` backslash-escapes every Markdown character."""
    return markdown.replace("\\", "")


def text_input(at: AppTest, label: str):
    return next(t for t in at.text_input if t.label == label)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in [*at.markdown, *at.info, *at.success, *at.error])


def test_anyone_can_download_the_template_but_must_sign_in_to_upload(store):
    at = page()
    assert not at.exception
    assert at.download_button[0].label == "Download the survey template (.xlsx)"
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert len(at.file_uploader) == 0


def test_the_upload_page_shows_the_guide_for_area_offices_before_sign_in(store):
    """docs/offices.md, under its own title, with a pointer to it at the top of the page."""
    guide = (Path(PAGE).parents[1] / "docs" / "offices.md").read_text(encoding="utf-8")
    title = "Returning your area's answers: a guide for PCC offices"
    assert guide.startswith(f"# {title}\n")
    at = page()
    assert not at.exception
    assert "**PCC offices:** returning your area's answers in a survey round? Open the guide" in (
        at.markdown[0].value
    )
    (expander,) = [e for e in at.expander if e.label == title]
    body = "\n".join(m.value for m in expander.markdown)
    assert body == guide.split("\n", 1)[1].strip()
    for heading in ("## 1. Get your return", "## 3. Upload and check", "## 5. After the deadline"):
        assert heading in body


def test_the_sign_in_form_signs_in_and_refuses_wrong_passwords(store):
    at = page()
    at.text_input[0].input("alice")
    at.text_input[1].input("wrong")
    button(at, "Sign in").click()
    at.run()
    assert "username or password is not right" in at.error[0].value
    assert len(at.file_uploader) == 0
    at.text_input[1].input(PASSWORD)
    button(at, "Sign in").click()
    at.run()
    assert "Signed in as alice" in at.success[0].value
    assert at.file_uploader[0].allowed_type == [".xlsx", ".csv"]


def test_repeated_failures_lock_the_form_with_a_try_again_message(store):
    at = page()
    for _ in range(6):
        at.text_input[0].input("alice")
        at.text_input[1].input("guess")
        button(at, "Sign in").click()
        at.run()
    assert at.error[0].value.startswith("Too many failed sign-in attempts. Try again in 15 minutes")


def test_a_bad_upload_shows_the_error_summary_and_changes_nothing(store):
    before = snapshot(store)
    at = page(ADMIN)
    upload(at, valid_workbook(monitoring_frequency="Fortnightly", notes="<b>bold</b>"))
    assert not at.exception
    assert "There is a problem" in [s.value for s in at.subheader]
    summary = texts(at)
    assert "**Areas\\!N2**" in summary
    assert "Fortnightly" in summary
    assert at.download_button[1].label == "Download the problem list (.xlsx)"
    assert "Publish" not in [b.label for b in at.button]
    assert snapshot(store) == before


def test_a_renamed_program_file_is_refused_with_a_clear_message(store):
    before = snapshot(store)
    at = page(ADMIN)
    upload(at, b"MZ\x90\x00" + b"\x00" * 100, "survey.xlsx")
    assert "There is a problem" in [s.value for s in at.subheader]
    assert "looks like a program" in texts(at)
    assert snapshot(store) == before


def test_a_valid_upload_previews_the_changes_then_publishes_a_new_wave(store):
    at = page(ADMIN)
    changed = area_rows()
    changed[1].update(co_commissions="Yes", co_commissioning_partners="VCSE")
    upload(at, workbook_from_rows(changed, programme_rows()[:3]))
    assert not at.exception
    assert "What will change" in [s.value for s in at.subheader]
    frames = [d.value for d in at.dataframe]
    changes, figures = frames
    # The change itself: each value old beside new, and a removed programme as one row.
    assert changes.to_dict(orient="records") == [
        {
            "area": "Essex",
            "programme": "",
            "answer": "co_commissions",
            "before": "No",
            "after": "Yes",
        },
        {
            "area": "Essex",
            "programme": "",
            "answer": "co_commissioning_partners",
            "before": "",
            "after": "VCSE",
        },
        {
            "area": "Cumbria",
            "programme": "Turning the Spotlight",
            "answer": "programme",
            "before": "Listed",
            "after": "Removed",
        },
    ]
    moved = figures.set_index("id").loc["co_commissioning"]
    assert (moved["numerator now"], moved["numerator after"]) == (1, 2)
    assert moved["denominator now"] == moved["denominator after"] == 3

    text_input(at, "Wave label").input("APCC 2026 survey")
    button(at, "Publish").click()
    at.run()
    assert not at.exception
    assert any("Published as wave 2" in s.value for s in at.success)
    assert [w.label for w in store.list_waves()] == ["Existing wave", "APCC 2026 survey"]
    assert store.latest_wave_id() == "2"
    assert len(at.dataframe) == 0  # the uploader was cleared for the next file


def test_cancel_stores_nothing(store):
    before = snapshot(store)
    at = page(ADMIN)
    upload(at, valid_workbook(strategic_board="No"))
    button(at, "Cancel").click()
    at.run()
    assert not at.exception
    assert len(at.dataframe) == 0
    assert snapshot(store) == before


def test_publishing_needs_a_label(store):
    before = snapshot(store)
    at = page(ADMIN)
    upload(at, valid_workbook(strategic_board="No"))
    button(at, "Publish").click()
    at.run()
    assert "Give the wave a label" in at.error[0].value
    assert snapshot(store) == before


def test_an_identical_file_is_recognised_and_not_offered_for_publishing(store):
    data = store.original_file("1")[1]
    at = page(ADMIN)
    upload(at, data, "copy.xlsx")
    assert "identical to wave 1 \\(Existing wave\\)" in at.info[-1].value
    assert "Publish" not in [b.label for b in at.button]


def test_an_area_office_is_offered_no_upload_and_told_how_its_answers_arrive(store):
    before = snapshot(store)
    at = page(CAMBS_OFFICE)
    assert not at.exception
    assert not at.file_uploader
    assert any("Only APCC administrators publish waves" in i.value for i in at.info)
    assert snapshot(store) == before


def test_data_text_with_html_is_shown_as_text(store):
    at = page(ADMIN)
    upload(at, valid_workbook(respondent_body="<script>alert('x')</script>", strategic_board="No"))
    assert not at.exception
    for element in at.markdown:
        assert "<script" not in str(element.value).replace("\\<script", "")
        assert not element.proto.allow_html
    changes = at.dataframe[0].value
    assert list(changes["answer"]) == ["respondent_body", "strategic_board"]
    assert changes["after"].iloc[0] == "<script>alert('x')</script>"  # in a table: shown as text


def test_the_illustrative_banner_shows_while_the_current_wave_is_illustrative(store):
    at = page()
    assert any("Illustrative data" in w.value for w in at.warning)


def csv_file(frame_rows: list[dict], sheet) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(sheet.column_names), extrasaction="ignore")
    writer.writeheader()
    for row in frame_rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8-sig")


def test_csv_files_for_both_sheets_can_be_uploaded_together(store):
    from landscape.schema import AREAS, PROGRAMMES

    areas = area_rows()
    areas[1]["strategic_board"] = "Yes"
    at = page(ADMIN)
    at.file_uploader[0].upload("Areas.csv", csv_file(areas, AREAS), "text/csv")
    at.file_uploader[0].upload("Programmes.csv", csv_file(programme_rows(), PROGRAMMES), "text/csv")
    at.run()
    assert not at.exception
    assert list(at.dataframe[0].value["area"]) == ["Essex"]
    text_input(at, "Wave label").input("From CSV")
    button(at, "Publish").click()
    at.run()
    assert any("Published as wave 2" in s.value for s in at.success)
    filename, archived = store.original_file("2")
    assert filename == "survey.csv.zip"
    assert sorted(unbundle_csvs(archived)) == ["Areas.csv", "Programmes.csv"]
    assert store.load_survey("2").areas.loc[1, "strategic_board"] == "Yes"


def test_a_workbook_and_csv_files_together_are_refused(store):
    at = page(ADMIN)
    at.file_uploader[0].upload("survey.xlsx", valid_workbook(), XLSX)
    at.file_uploader[0].upload("Areas.csv", b"force_area\r\n", "text/csv")
    at.run()
    assert "either one .xlsx workbook, or the survey's CSV files" in at.error[0].value

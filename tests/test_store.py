"""The store: migrations, seeding, whole-or-nothing publishing, versions, duplicates, bad input."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateTable

from landscape import paths
from landscape.intake.validate import SurveyInvalid, load_survey
from landscape.store import (
    SEED_LABEL,
    StoreError,
    WaveNotFound,
    current_revision,
    head_revision,
    sha256_hex,
)
from landscape.store.access import AccessDenied, NotSignedIn
from landscape.store.corrections import apply_area_correction
from landscape.store.tables import metadata
from tests.builders import area_rows, minimal_survey, programme_rows, workbook_from_rows
from tests.round_support import workbook_changing_essex
from tests.store_support import (
    ADMIN,
    CAMBRIDGESHIRE,
    CAMBS_OFFICE,
    area_only_workbook,
    bad_inputs,
    fresh_store,
    snapshot,
    valid_workbook,
)

needs_bundled_wave = pytest.mark.skipif(
    not paths.BUNDLED_WAVE.exists(), reason="the bundled wave is not built yet"
)


# --- schema and engine ----------------------------------------------------------------------


def test_a_fresh_database_is_at_the_migration_head(tmp_path):
    store = fresh_store(tmp_path)
    assert current_revision(store.engine) == head_revision()
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


@pytest.mark.sqlite_only
def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    store = fresh_store(tmp_path)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_foreign_keys_are_enforced(tmp_path):
    store = fresh_store(tmp_path)
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO area_answers (wave_id, position, area_code, record) "
                "VALUES (999, 0, 'E23000001', '{}')"
            )
        )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE waves SET label = 'rewritten'",
        "DELETE FROM waves",
        "UPDATE area_answers SET record = '{}'",
        "DELETE FROM programme_records",
        "UPDATE wave_files SET content = content || content",  # a blob on SQLite and PostgreSQL
    ],
)
def test_the_database_itself_refuses_to_change_a_published_wave(tmp_path, statement):
    store = fresh_store(tmp_path)
    data = valid_workbook()
    wave = store.publish(data, "a.xlsx", principal=ADMIN, label="W").wave
    before = snapshot(store)
    with pytest.raises(sa.exc.DatabaseError, match="never changed"), store.engine.begin() as conn:
        conn.exec_driver_sql(statement)
    assert snapshot(store) == before
    assert store.wave(wave.wave_id) == wave
    assert store.original_file(wave.wave_id) == ("a.xlsx", data)


def test_every_table_compiles_for_postgresql():
    ddl = [
        str(CreateTable(t).compile(dialect=postgresql.dialect())) for t in metadata.sorted_tables
    ]
    assert any("BYTEA" in statement for statement in ddl)  # archived files
    assert all("PRAGMA" not in statement for statement in ddl)


def test_opening_twice_does_not_migrate_or_seed_again(tmp_path):
    first = fresh_store(tmp_path)
    first.publish(valid_workbook(), "a.xlsx", principal=ADMIN, label="A")
    again = fresh_store(tmp_path)
    assert [w.label for w in again.list_waves()] == ["A"]


# --- seeding --------------------------------------------------------------------------------


@needs_bundled_wave
def test_first_open_seeds_the_bundled_illustrative_wave_once(tmp_path):
    store = fresh_store(tmp_path, seed=True)
    again = fresh_store(tmp_path, seed=True)
    waves = again.list_waves()
    assert len(waves) == 1
    seed = waves[0]
    assert seed.label == SEED_LABEL
    assert seed.illustrative is True
    assert seed.kind == "seed"
    assert seed.sha256 == sha256_hex(paths.BUNDLED_WAVE.read_bytes())
    bundled = load_survey(paths.BUNDLED_WAVE.read_bytes(), paths.BUNDLED_WAVE.name)
    stored = store.load_survey(seed.wave_id)
    pd.testing.assert_frame_equal(stored.areas, bundled.areas)
    pd.testing.assert_frame_equal(stored.programmes, bundled.programmes)
    assert seed.area_count == 43
    assert store.latest_wave_id() == seed.wave_id


# --- publishing -----------------------------------------------------------------------------


def test_a_published_wave_loads_back_into_an_identical_survey(tmp_path):
    store = fresh_store(tmp_path)
    result = store.publish(valid_workbook(), "survey.xlsx", principal=ADMIN, label="Test wave")
    assert result.created
    stored = store.load_survey(result.wave.wave_id)
    expected = minimal_survey()
    pd.testing.assert_frame_equal(stored.areas, expected.areas)
    pd.testing.assert_frame_equal(stored.programmes, expected.programmes)
    assert stored.programmes.loc[0, "risk_levels"] == ("Standard", "Medium")


def test_the_original_file_is_archived_with_checksum_uploader_and_time(tmp_path):
    store = fresh_store(tmp_path)
    data = valid_workbook()
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    wave = store.publish(
        data,
        "Survey 2026.xlsx",
        principal=ADMIN,
        label="  APCC   2026 ",
        survey_date=dt.date(2026, 3, 1),
    ).wave
    assert store.original_file(wave.wave_id) == ("Survey 2026.xlsx", data)
    assert wave.sha256 == sha256_hex(data)
    assert wave.uploaded_by == "alice"
    assert before - dt.timedelta(seconds=1) <= wave.uploaded_at <= before + dt.timedelta(minutes=1)
    assert (wave.label, wave.survey_date, wave.version) == ("APCC 2026", dt.date(2026, 3, 1), 1)
    assert wave.illustrative is True  # builders' rows include illustrative ones
    assert (wave.area_count, wave.programme_count) == (4, 4)


def test_re_uploading_an_identical_file_creates_nothing_and_names_the_wave(tmp_path):
    store = fresh_store(tmp_path)
    data = valid_workbook()
    first = store.publish(data, "a.xlsx", principal=ADMIN, label="First")
    before = snapshot(store)
    again = store.publish(bytes(data), "renamed.xlsx", principal=ADMIN, label="Again")
    assert not again.created
    assert again.wave == first.wave
    assert f"already published as wave {first.wave.wave_id} (First" in again.message
    assert snapshot(store) == before


def test_a_correction_is_a_new_version_and_the_earlier_stays_readable(tmp_path):
    store = fresh_store(tmp_path)
    original = store.publish(valid_workbook(), "a.xlsx", principal=ADMIN, label="2026").wave
    corrected = store.publish(
        valid_workbook(monitoring_frequency="Monthly"),
        "b.xlsx",
        principal=ADMIN,
        label="2026",
        corrects=original.wave_id,
    ).wave
    assert (corrected.version, corrected.supersedes, corrected.series) == (
        2,
        original.wave_id,
        original.wave_id,
    )
    earlier = store.wave(original.wave_id)
    assert earlier.superseded_by == corrected.wave_id
    assert store.load_survey(original.wave_id).areas.loc[0, "monitoring_frequency"] == "Quarterly"
    assert store.load_survey(corrected.wave_id).areas.loc[0, "monitoring_frequency"] == "Monthly"
    assert store.latest_wave_id() == corrected.wave_id
    assert corrected.title == "2026 v2"


def test_a_superseded_version_cannot_be_corrected_again(tmp_path):
    store = fresh_store(tmp_path)
    original = store.publish(valid_workbook(), "a.xlsx", principal=ADMIN, label="W").wave
    store.publish(
        valid_workbook(monitoring_frequency="Monthly"),
        "b.xlsx",
        principal=ADMIN,
        label="W",
        corrects=original.wave_id,
    )
    before = snapshot(store)
    with pytest.raises(StoreError, match="already been corrected by wave 2"):
        store.publish(
            valid_workbook(monitoring_frequency="Annually"),
            "c.xlsx",
            principal=ADMIN,
            label="W",
            corrects=original.wave_id,
        )
    assert snapshot(store) == before


def test_a_new_wave_becomes_current_and_earlier_waves_stay(tmp_path):
    store = fresh_store(tmp_path)
    first = store.publish(valid_workbook(), "a.xlsx", principal=ADMIN, label="2025").wave
    second = store.publish(
        valid_workbook(strategic_board="No"), "b.xlsx", principal=ADMIN, label="2026"
    ).wave
    assert [w.wave_id for w in store.list_waves()] == [first.wave_id, second.wave_id]
    assert store.latest_wave_id() == second.wave_id
    assert store.wave(first.wave_id).is_current_version


def test_an_area_correction_replaces_only_its_rows(tmp_path):
    store = fresh_store(tmp_path)
    base = store.publish(valid_workbook(), "a.xlsx", principal=ADMIN, label="2026").wave
    programmes = [
        dict(row, programme_name="StepWise 2", annual_capacity=80)
        for row in programme_rows()
        if row["force_area"] == "Cambridgeshire"
    ][:1]
    areas = [dict(row, strategic_board="No") for row in area_rows()[:1]]
    # An office's rows reach a wave through a round's return, whose preview is this correction.
    before = store.load_survey(base.wave_id)
    after = apply_area_correction(
        before, load_survey(workbook_from_rows(areas, programmes), "c.xlsx"), CAMBRIDGESHIRE
    )
    assert list(after.areas["area_code"]) == list(before.areas["area_code"])
    assert after.areas.loc[0, "strategic_board"] == "No"
    pd.testing.assert_frame_equal(after.areas.iloc[1:], before.areas.iloc[1:])
    cambs = after.programmes[after.programmes["area_code"] == CAMBRIDGESHIRE]
    assert list(cambs["programme_name"]) == ["StepWise 2"]
    others_before = before.programmes[before.programmes["area_code"] != CAMBRIDGESHIRE]
    others_after = after.programmes[after.programmes["area_code"] != CAMBRIDGESHIRE]
    pd.testing.assert_frame_equal(
        others_after.reset_index(drop=True), others_before.reset_index(drop=True)
    )


def test_an_area_office_publishes_no_wave_before_or_after_one_exists(tmp_path):
    store = fresh_store(tmp_path)
    survey = valid_workbook()
    for _ in range(2):
        with pytest.raises(AccessDenied, match="Only an APCC administrator may publish"):
            store.publish(area_only_workbook(), "c.xlsx", principal=CAMBS_OFFICE, label="x")
        with pytest.raises(AccessDenied, match="Only an APCC administrator may publish"):
            store.prepare_upload(area_only_workbook(), "c.xlsx", CAMBS_OFFICE)
        store.publish(survey, "a.xlsx", principal=ADMIN, label="2026")
    assert [w.kind for w in store.list_waves()] == ["survey"]


def test_publishing_needs_a_signed_in_principal(tmp_path):
    store = fresh_store(tmp_path)
    before = snapshot(store)
    with pytest.raises(NotSignedIn):
        store.publish(valid_workbook(), "a.xlsx", principal=None, label="x")
    assert snapshot(store) == before


def test_the_store_rechecks_an_area_office_upload_server_side(tmp_path):
    store = fresh_store(tmp_path)
    store.publish(valid_workbook(), "a.xlsx", principal=ADMIN, label="2026")
    before = snapshot(store)
    with pytest.raises(AccessDenied, match="Only an APCC administrator may publish"):
        store.publish(workbook_changing_essex(), "all.xlsx", principal=CAMBS_OFFICE, label="x")
    assert snapshot(store) == before


def test_a_wave_needs_a_label(tmp_path):
    store = fresh_store(tmp_path)
    with pytest.raises(StoreError, match="label"):
        store.publish(valid_workbook(), "a.xlsx", principal=ADMIN, label="   ")


def test_unknown_wave_is_a_clear_error(tmp_path):
    store = fresh_store(tmp_path)
    with pytest.raises(WaveNotFound, match="no wave '42'"):
        store.load_survey("42")
    with pytest.raises(WaveNotFound):
        store.load_survey("not-a-number")


def test_prepare_upload_validates_and_composes_without_storing(tmp_path):
    store = fresh_store(tmp_path)
    data = valid_workbook()
    base = store.publish(data, "a.xlsx", principal=ADMIN, label="2026").wave
    before = snapshot(store)
    prepared = store.prepare_upload(
        area_only_workbook(strategic_board="No"), "c.xlsx", ADMIN, corrects=base.wave_id
    )
    assert prepared.base == base and prepared.corrects == base
    assert len(prepared.uploaded.areas) == len(prepared.survey.areas) == 1
    assert prepared.duplicate_of is None
    assert snapshot(store) == before
    again = store.prepare_upload(data, "a.xlsx", ADMIN)
    assert again.duplicate_of == base


# --- bad input never changes the store ------------------------------------------------------

BAD_INPUTS = bad_inputs()


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory, database_backend):
    """One store for every bad input: each must leave it exactly as it was."""
    store = fresh_store(tmp_path_factory.mktemp("bad-input"))
    store.publish(valid_workbook(), "a.xlsx", principal=ADMIN, label="Existing")
    return store


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_bad_input_gets_a_clear_message_and_leaves_the_store_unchanged(shared_store, kind):
    store = shared_store
    before = snapshot(store)
    assert before.counts["waves"] == 1
    data, filename = BAD_INPUTS[kind]
    with pytest.raises(SurveyInvalid) as invalid:
        store.publish(data, filename, principal=ADMIN, label="Bad")
    assert invalid.value.problems
    assert all(p.message and p.fix for p in invalid.value.problems)
    assert snapshot(store) == before
    assert store.integrity_check() == "ok"


def test_text_that_looks_like_a_formula_is_stored_as_text(tmp_path):
    store = fresh_store(tmp_path)
    wave = store.publish(
        valid_workbook(notes='=HYPERLINK("http://x")', respondent_body="<script>x</script>"),
        "a.xlsx",
        principal=ADMIN,
        label="W",
    ).wave
    areas = store.load_survey(wave.wave_id).areas
    assert areas.loc[0, "notes"] == '=HYPERLINK("http://x")'
    assert areas.loc[0, "respondent_body"] == "<script>x</script>"
    provider = store.load_survey(wave.wave_id).programmes.loc[2, "provider"]
    assert provider == "-Minus & Co"


# --- CSV uploads ----------------------------------------------------------------------------


def csv_text(rows, sheet) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(sheet.column_names))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue().encode("cp1252")


def test_csv_files_are_bundled_deterministically_and_published(tmp_path):
    from landscape.intake.uploads import bundle_csvs
    from landscape.schema import AREAS, PROGRAMMES

    files = {
        "Programmes.csv": csv_text(programme_rows(), PROGRAMMES),
        "Areas.csv": csv_text(area_rows(), AREAS),
    }
    bundle = bundle_csvs(files)
    assert bundle == bundle_csvs(dict(reversed(list(files.items()))))
    store = fresh_store(tmp_path)
    first = store.publish(bundle, "survey.csv.zip", principal=ADMIN, label="CSV")
    assert first.created
    pd.testing.assert_frame_equal(
        store.load_survey(first.wave.wave_id).areas, minimal_survey().areas
    )
    again = store.publish(bundle_csvs(files), "survey.csv.zip", principal=ADMIN, label="CSV")
    assert not again.created and again.wave == first.wave


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"Areas.csv": b"0" * (11 * 1024 * 1024)}, "far larger"),
        ({"Areas.csv": b"x", "evil.exe": b"MZ"}, "not CSV"),
    ],
)
def test_a_bad_csv_bundle_is_refused_before_inflating(tmp_path, files, message):
    from landscape.intake.uploads import bundle_csvs

    store = fresh_store(tmp_path)
    with pytest.raises(SurveyInvalid) as invalid:
        store.publish(bundle_csvs(files), "survey.csv.zip", principal=ADMIN, label="x")
    assert message in invalid.value.problems[0].message
    assert store.list_waves() == []


def test_a_damaged_csv_bundle_is_refused(tmp_path):
    store = fresh_store(tmp_path)
    with pytest.raises(SurveyInvalid, match="problem"):
        store.publish(b"not a zip at all", "survey.csv.zip", principal=ADMIN, label="x")


# --- per-value provenance -------------------------------------------------------------------


def _workbook_citing_values() -> bytes:
    """The minimal survey with a Provenance sheet: one Areas and one Programmes value Sourced."""
    import io

    import openpyxl

    from landscape.intake.template import survey_workbook_bytes

    book = openpyxl.load_workbook(io.BytesIO(survey_workbook_bytes(minimal_survey())))
    rows = [
        ["Areas", "Cambridgeshire", None, "response_status", "Sourced", "FOI-018", "Q1", None],
        ["Programmes", "Cambridgeshire", "StepWise", "provider", "Sourced", "FOI-006", "5.1", "x"],
    ]
    for number, values in enumerate(rows, start=2):
        for position, value in enumerate(values, start=1):
            book["Provenance"].cell(row=number, column=position, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_stored_wave_reloads_with_the_value_provenance_it_was_validated_with(tmp_path):
    from landscape.model.landscape import build_landscape

    store = fresh_store(tmp_path)
    data = _workbook_citing_values()
    validated = load_survey(data, "cited.xlsx")
    wave = store.publish(data, "cited.xlsx", principal=ADMIN, label="Cited").wave
    stored = store.load_survey(wave.wave_id)
    pd.testing.assert_frame_equal(stored.provenance, validated.provenance)
    expected = build_landscape(validated).value_provenance
    reloaded = build_landscape(stored).value_provenance
    pd.testing.assert_frame_equal(reloaded, expected)
    sourced = reloaded[reloaded["provenance"] == "Sourced"]
    assert sorted(zip(sourced["column"], sourced["document"], strict=True)) == [
        ("provider", "FOI-006"),
        ("response_status", "FOI-018"),
    ]


@needs_bundled_wave
def test_the_seeded_bundled_wave_keeps_every_sourced_citation(tmp_path):
    from landscape.model.landscape import build_landscape

    store = fresh_store(tmp_path, seed=True)
    bundled = load_survey(paths.BUNDLED_WAVE.read_bytes(), paths.BUNDLED_WAVE.name)
    stored = store.load_survey(store.latest_wave_id())
    assert len(stored.provenance) == len(bundled.provenance) > 0
    pd.testing.assert_frame_equal(
        build_landscape(stored).value_provenance, build_landscape(bundled).value_provenance
    )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE provenance_records SET record = '{}'",
        "DELETE FROM provenance_records",
        "INSERT INTO provenance_records (wave_id, position, record) VALUES (1, 99, '{}')",
    ],
)
def test_the_database_refuses_to_change_a_published_waves_provenance(tmp_path, statement):
    store = fresh_store(tmp_path)
    wave = store.publish(_workbook_citing_values(), "c.xlsx", principal=ADMIN, label="C").wave
    before = store.load_survey(wave.wave_id).provenance
    with pytest.raises(sa.exc.DatabaseError, match="never changed"), store.engine.begin() as conn:
        conn.exec_driver_sql(statement)
    pd.testing.assert_frame_equal(store.load_survey(wave.wave_id).provenance, before)


def test_a_waves_chain_hash_covers_its_provenance_rows(tmp_path):
    from landscape.store.verify import GENESIS, canonical_content

    store = fresh_store(tmp_path)
    cited = store.publish(_workbook_citing_values(), "c.xlsx", principal=ADMIN, label="C").wave
    with store.engine.connect() as conn:
        document = canonical_content(conn, int(cited.wave_id), GENESIS).decode()
    assert '"provenance_records":[{"position":0' in document
    assert "FOI-006" in document


def test_an_area_correction_keeps_other_areas_provenance_and_takes_its_own(tmp_path):
    import io

    import openpyxl

    from landscape.intake.template import survey_workbook_bytes

    book = openpyxl.load_workbook(io.BytesIO(_workbook_citing_values()))
    essex = ["Areas", "Essex", None, "strategic_board", "Sourced", "Essex plan", "p. 4", None]
    for position, value in enumerate(essex, start=1):
        book["Provenance"].cell(row=4, column=position, value=value)
    out = io.BytesIO()
    book.save(out)
    store = fresh_store(tmp_path)
    store.publish(out.getvalue(), "a.xlsx", principal=ADMIN, label="2026")
    own = load_survey(area_only_workbook(), "cambs.xlsx")
    correction = openpyxl.load_workbook(io.BytesIO(survey_workbook_bytes(own)))
    cited = ["Areas", "Cambridgeshire", None, "strategic_board", "Sourced", "FOI-006", "Q1", None]
    for position, value in enumerate(cited, start=1):
        correction["Provenance"].cell(row=2, column=position, value=value)
    out = io.BytesIO()
    correction.save(out)
    base = store.current_wave()
    assert base is not None
    corrected = apply_area_correction(
        store.load_survey(base.wave_id), load_survey(out.getvalue(), "c.xlsx"), CAMBRIDGESHIRE
    )
    provenance = corrected.provenance
    cited = zip(provenance["area_code"], provenance["column"], provenance["document"], strict=True)
    assert sorted(cited) == [
        (CAMBRIDGESHIRE, "strategic_board", "FOI-006"),
        ("E23000028", "strategic_board", "Essex plan"),
    ]

"""A wave's kind (migration 0006: its basis, illustrative / reported / corrected, and the report it
should reproduce) is inside its tamper-evident chain hash, and waves sealed before those columns
existed still verify.

verify.canonical_content covers every column added to `waves` after 0003 where it is not NULL:
a wave published since 0006 has its kind in the document, one sealed before has NULL there and
its document (and so its hash) is what it was. Changing, adding or clearing the kind of either,
with the triggers dropped, is named by verify."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from landscape.store import open_store
from landscape.store.engine import _alembic_config, create_engine, current_revision, head_revision
from landscape.store.verify import canonical_content, previous_hash
from landscape.store.waves import Store
from tests.store_support import (
    ADMIN,
    area_only_workbook,
    database_url,
    valid_workbook,
)
from tests.test_tamper import raw
from tests.wave_kinds import reported_survey


def _document(store: Store, wave_pk: int) -> dict:
    with store.engine.connect() as conn:
        return json.loads(canonical_content(conn, wave_pk, previous_hash(conn, wave_pk)))


def _reported_workbook() -> bytes:
    from landscape.intake.template import survey_workbook_bytes

    return survey_workbook_bytes(reported_survey())


def _broken(store: Store) -> list[str]:
    return [check.wave_id for check in store.verify().broken]


def test_the_kind_of_a_new_wave_is_hashed_and_changing_it_is_named(tmp_path: Path):
    url = database_url(tmp_path / "store.sqlite")
    store = open_store(url)  # the bundled wave: illustrative, calibrated to the APCC report
    store.publish(_reported_workbook(), "2026.xlsx", principal=ADMIN, label="2026 (reported)")
    kinds = [(w.basis, w.reproduces) for w in store.list_waves()]
    assert kinds == [("illustrative", "apcc-2025"), ("reported", None)]
    seed, reported = _document(store, 1)["wave"], _document(store, 2)["wave"]
    assert (seed["basis"], seed["reproduces"]) == ("illustrative", "apcc-2025")
    assert reported["basis"] == "reported" and "reproduces" not in reported  # NULL: left out
    assert store.verify().ok
    db = raw(url)
    db.drop_trigger("waves_update_only_to_seal", "waves")
    # the illustrative wave passed off as the area offices' own answers, tied to no report
    db.execute("UPDATE waves SET basis = 'reported', reproduces = NULL WHERE id = 1")
    db.close()
    assert _broken(store) == ["1"]
    db = raw(url)
    db.execute("UPDATE waves SET basis = 'illustrative', reproduces = 'apcc-2025' WHERE id = 1")
    # a reported wave claimed to reproduce the report: a kind added where there was none
    db.execute("UPDATE waves SET reproduces = 'apcc-2025' WHERE id = 2")
    db.close()
    assert _broken(store) == ["2"]


def test_waves_sealed_before_the_kind_columns_still_verify_and_are_guarded_too(tmp_path: Path):
    """Two waves sealed at 0003 (before 0006 added the kind), migrated to the head: their hashes
    hold as stored; a wave published after has its kind hashed; each is guarded."""
    url = database_url(tmp_path / "store.sqlite")
    store = open_store(url, seed=False)
    store.publish(_reported_workbook(), "2025.xlsx", principal=ADMIN, label="APCC 2025")
    store.publish(
        area_only_workbook(), "cambs.xlsx", principal=ADMIN, label="Cambs fix", corrects="1"
    )
    store.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:  # to 0002 (no chain, no kind), then 0003 seals them unkinded
        command.downgrade(_alembic_config(conn), "0002")
    engine.dispose()
    migrated = open_store(url, seed=False)
    assert current_revision(migrated.engine) == head_revision()
    with migrated.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT basis, reproduces FROM waves ORDER BY id")).all()
    assert stored == [(None, None), (None, None)]
    old = _document(migrated, 1)["wave"]
    assert "basis" not in old and "reproduces" not in old  # the document as it was sealed
    assert migrated.verify().ok
    new = migrated.publish(valid_workbook(), "2026.xlsx", principal=ADMIN, label="APCC 2026")
    new_id = int(new.wave.wave_id)
    assert new.created and new_id == 3
    assert _document(migrated, new_id)["wave"]["basis"] == "illustrative"
    verification = migrated.verify()
    assert verification.ok and len(verification.checks) == 3
    db = raw(url)
    db.drop_trigger("waves_update_only_to_seal", "waves")
    db.execute("UPDATE waves SET basis = 'illustrative' WHERE id = 1")  # a kind given afterwards
    db.close()
    assert _broken(migrated) == ["1"]
    db = raw(url)
    db.execute("UPDATE waves SET basis = NULL WHERE id = 1")
    db.execute(f"UPDATE waves SET basis = NULL WHERE id = {new_id}")  # the new wave's kind cleared
    db.close()
    assert _broken(migrated) == [str(new_id)]

"""Tamper-evident waves (issue 12, point 5): every route that changed a published wave before is
refused by the database, and what gets past the triggers (they were dropped) is detected by
`landscape verify`, by the store and by `landscape restore`, with or without --force.

The module runs on SQLite and on a throwaway PostgreSQL (tests/conftest.py's BOTH_BACKENDS): the
tamperer is a plain driver connection to either. Routes only one database has (SQLite's INSERT OR
REPLACE, PostgreSQL's TRUNCATE) run on that one, and `landscape backup`/`restore` are SQLite's
(PostgreSQL deployments use pg_dump), so the restore cases run on SQLite alone."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner

from landscape.cli import main
from landscape.store import backup, open_store
from landscape.store.engine import _alembic_config, create_engine, current_revision, head_revision
from landscape.store.errors import StoreError
from landscape.store.verify import (
    GENESIS,
    POSTGRESQL_TRIGGERS,
    canonical_content,
    expected_sqlite_triggers,
)
from landscape.store.waves import Store
from tests.store_support import (
    ADMIN,
    area_only_workbook,
    database_url,
    sqlite_url,
    valid_workbook,
)

REFUSED = "published survey waves are never changed or deleted"


@pytest.fixture
def two_waves(tmp_path: Path) -> tuple[Store, str]:
    """A store holding wave 1 (an administrator's survey) and wave 2 (a correction), and its URL."""
    url = database_url(tmp_path / "store.sqlite")
    store = open_store(url, seed=False)
    store.publish(valid_workbook(), "survey.xlsx", principal=ADMIN, label="APCC 2026")
    store.publish(
        area_only_workbook(), "cambs.xlsx", principal=ADMIN, label="Cambs fix", corrects="1"
    )
    return store, url


class Raw:
    """A plain driver connection, as a tamperer would use (autocommit, no landscape code): sqlite3
    on a SQLite file, psycopg on PostgreSQL."""

    def __init__(self, url: str | Path) -> None:
        where = sa.make_url(url if isinstance(url, str) else sqlite_url(url))
        self.sqlite = where.get_backend_name() == "sqlite"
        if self.sqlite:
            self.db: Any = sqlite3.connect(str(where.database), isolation_level=None)
            self.refusal: type[Exception] = sqlite3.IntegrityError
        else:
            import psycopg

            self.db = psycopg.connect(
                host=where.host, port=where.port, user=where.username, dbname=where.database,
                autocommit=True,
            )  # fmt: skip
            self.refusal = psycopg.IntegrityError

    def execute(self, sql: str) -> None:
        self.db.execute(sql)

    def close(self) -> None:
        self.db.close()

    def drop_trigger(self, name: str, table: str) -> None:
        self.execute(f"DROP TRIGGER {name}" if self.sqlite else f"DROP TRIGGER {name} ON {table}")

    def switch_off_triggers(self) -> None:
        """SQLite: drop every trigger; PostgreSQL: disable them (ALTER TABLE ... DISABLE)."""
        if self.sqlite:
            for name in expected_sqlite_triggers():
                self.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            for table in POSTGRESQL_TRIGGERS:
                self.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")

    def switch_on_triggers(self) -> None:
        if self.sqlite:
            for sql in expected_sqlite_triggers().values():
                self.execute(sql)
        else:
            for table in POSTGRESQL_TRIGGERS:
                self.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def raw(url: str | Path) -> Raw:
    return Raw(url)


def missing(name: str, table: str, backend: str) -> str:
    """What verify says of a dropped trigger on `backend`."""
    if backend == "sqlite":
        return f"the trigger {name} is missing"
    return f"the trigger {name} on {table} is missing or disabled"


def verify_cli(url: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["verify", "--database", url])
    return result.exit_code, result.output


def sqlite_only(backend: str, why: str) -> None:
    if backend != "sqlite":
        pytest.skip(f"SQLite only: {why}")


# --- what publishing stores -------------------------------------------------------------------


def test_each_wave_is_sealed_with_its_content_hash_chained_to_the_previous(two_waves):
    store, _ = two_waves
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, sealed, chain_sha256 FROM waves ORDER BY id").all()
        first = hashlib.sha256(canonical_content(conn, 1, GENESIS)).hexdigest()
        second = hashlib.sha256(canonical_content(conn, 2, first)).hexdigest()
    assert rows == [(1, True, first), (2, True, second)]
    assert first != second


def test_the_canonical_content_covers_label_version_parent_file_and_every_record(two_waves):
    store, _ = two_waves
    with store.engine.connect() as conn:
        document = canonical_content(conn, 2, "abc").decode()
    for expected in (
        '"previous":"abc"',
        '"label":"Cambs fix"',
        '"version":2',
        '"supersedes_id":1',
        '"file_sha256":"',
        '"area_answers":[{"area_code":"E23000023"',
    ):
        assert expected in document


def test_an_untouched_store_verifies_and_the_cli_prints_the_count_and_chain_head(two_waves):
    store, url = two_waves
    verification = store.verify()
    assert verification.ok
    assert verification.verified() == {"1": True, "2": True}
    code, output = verify_cli(url)
    assert code == 0
    assert "Verified 2 wave(s)" in output
    assert verification.head in output


# --- the triggers refuse each route -----------------------------------------------------------

# A wave row's columns as of migration 0003, to copy a row by SQL alone.
COLUMNS = (
    "label, survey_date, version, supersedes_id, status, kind, area_code, illustrative,"
    " uploaded_by, uploaded_at, sha256, original_filename, file_id, area_count, programme_count"
)


def copy_of_wave_1(**values: str) -> str:
    """INSERT ... SELECT of wave 1's row with some columns given as SQL expressions."""
    names = ["id", *COLUMNS.split(", "), "sealed", "chain_sha256"]
    names = [name.strip() for name in names]
    chosen = ", ".join(values.get(name, name) for name in names)
    return f"({', '.join(names)}) SELECT {chosen} FROM waves WHERE id = 1"


ROUTES = {
    "INSERT OR REPLACE of a published wave's label": (
        "INSERT OR REPLACE INTO waves "
        + copy_of_wave_1(label="'Rewritten'", sealed="false", chain_sha256="NULL")
    ),
    "INSERT OR REPLACE of a sealed wave row": (
        "INSERT OR REPLACE INTO waves " + copy_of_wave_1(label="'Rewritten'")
    ),
    "INSERT OR REPLACE of an answer": (
        "INSERT OR REPLACE INTO area_answers (id, wave_id, position, area_code, record)"
        " SELECT id, wave_id, position, area_code, '{}' FROM area_answers WHERE wave_id = 1 LIMIT 1"
    ),
    "INSERT OR REPLACE of the archived file": (
        "INSERT OR REPLACE INTO wave_files (id, sha256, filename, size_bytes, content)"
        " SELECT id, sha256, filename, 1, x'00' FROM wave_files WHERE id = 1"
    ),
    "plain INSERT of a programme into a published wave": (
        "INSERT INTO programme_records (wave_id, position, area_code, programme_name, record)"
        " VALUES (1, 99, 'E23000023', 'Added later', '{}')"
    ),
    "plain INSERT of an answer into a published wave": (
        "INSERT INTO area_answers (wave_id, position, area_code, record)"
        " VALUES (2, 99, 'E23000001', '{}')"
    ),
    "INSERT of a wave born sealed": (
        "INSERT INTO waves "
        + copy_of_wave_1(id="99", supersedes_id="NULL", sha256="'other'", chain_sha256="'x'")
    ),
    "UPSERT of a label": (
        "INSERT INTO waves "
        + copy_of_wave_1()
        + " ON CONFLICT(id) DO UPDATE SET label = 'Rewritten'"
    ),
    "UPSERT of an unsealed copy's label": (
        "INSERT INTO waves "
        + copy_of_wave_1(sealed="false", chain_sha256="NULL")
        + " ON CONFLICT(id) DO UPDATE SET label = 'Rewritten'"
    ),
    "UPSERT of the archived file": (
        "INSERT INTO wave_files (id, sha256, filename, size_bytes, content)"
        " SELECT id, sha256, filename, size_bytes, content FROM wave_files WHERE id = 1"
        " ON CONFLICT(id) DO UPDATE SET filename = 'other.xlsx'"
    ),
    "UPDATE of a label": "UPDATE waves SET label = 'Rewritten' WHERE id = 1",
    "UPDATE unsealing a wave": "UPDATE waves SET sealed = false WHERE id = 1",
    "UPDATE of a stored hash": "UPDATE waves SET chain_sha256 = 'x' WHERE id = 1",
    "UPDATE of an answer": "UPDATE area_answers SET record = '{}'",
    "DELETE of a wave's records": "DELETE FROM programme_records WHERE wave_id = 1",
    "DELETE of a wave": "DELETE FROM waves WHERE id = 2",
    "TRUNCATE of a wave's records": "TRUNCATE programme_records",
    "TRUNCATE of the waves and all that refers to them": "TRUNCATE waves CASCADE",
}
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# The routes only one database has (the others are tried on both).
ONLY_ON = {
    "INSERT OR REPLACE of a published wave's label": ("sqlite", "PostgreSQL has no REPLACE"),
    "INSERT OR REPLACE of a sealed wave row": ("sqlite", "PostgreSQL has no REPLACE"),
    "INSERT OR REPLACE of an answer": ("sqlite", "PostgreSQL has no REPLACE"),
    "INSERT OR REPLACE of the archived file": ("sqlite", "PostgreSQL has no REPLACE"),
    "TRUNCATE of a wave's records": ("postgresql", "SQLite has no TRUNCATE"),
    "TRUNCATE of the waves and all that refers to them": ("postgresql", "SQLite has no TRUNCATE"),
}


@pytest.mark.parametrize("route", list(ROUTES), ids=list(ROUTES))
def test_the_database_refuses_every_route_of_change(two_waves, route, database_backend):
    backend, why = ONLY_ON.get(route, (database_backend, ""))
    if backend != database_backend:
        pytest.skip(f"{NAMES[backend]} only: {why}")
    store, url = two_waves
    before = store.verify()
    db = raw(url)
    with pytest.raises(db.refusal, match=REFUSED):
        db.execute(ROUTES[route])
    db.close()
    after = store.verify()
    assert after.ok
    assert after.head == before.head


def test_publishing_still_works_under_the_triggers_and_extends_the_chain(two_waves):
    store, _ = two_waves
    head = store.verify().head
    store.publish(
        valid_workbook(respondent_body="Someone else"), "v3.xlsx", principal=ADMIN, label="3"
    )
    with store.engine.connect() as conn:
        document = canonical_content(conn, 3, head)
        stored = conn.exec_driver_sql("SELECT chain_sha256 FROM waves WHERE id = 3").scalar()
    assert stored == hashlib.sha256(document).hexdigest()
    assert store.verify().ok


# --- what gets past dropped triggers is detected ----------------------------------------------


def test_a_dropped_trigger_then_an_update_is_named_by_verify(two_waves, database_backend):
    store, url = two_waves
    db = raw(url)
    db.drop_trigger("waves_update_only_to_seal", "waves")
    db.execute("UPDATE waves SET label = 'Correction - details at http://x/phish' WHERE id = 1")
    db.close()
    verification = store.verify()
    assert [c.wave_id for c in verification.broken] == ["1"]
    dropped = missing("waves_update_only_to_seal", "waves", database_backend)
    assert verification.trigger_problems == (dropped,)
    assert verification.verified() == {"1": False, "2": False}
    code, output = verify_cli(url)
    assert code == 1
    assert "wave(s) 1 no longer match" in output
    assert dropped.removeprefix("the trigger ") in " ".join(output.split())


EDIT_RESPONDENT = {
    "sqlite": "json_set(record, '$.respondent', 'Forged')",
    "postgresql": """jsonb_set(record::jsonb, '{respondent}', '"Forged"')::json""",
}


def test_an_edited_answer_is_named_and_later_waves_still_verify(two_waves, database_backend):
    store, url = two_waves
    db = raw(url)
    db.switch_off_triggers()
    db.execute(
        f"UPDATE area_answers SET record = {EDIT_RESPONDENT[database_backend]}"
        " WHERE wave_id = 1 AND position = 0"
    )
    db.switch_on_triggers()  # the triggers are back: only the chain shows the edit
    db.close()
    verification = store.verify()
    assert verification.trigger_problems == ()
    assert [c.wave_id for c in verification.broken] == ["1"]


def test_a_programme_added_with_triggers_dropped_is_detected(two_waves):
    store, url = two_waves
    db = raw(url)
    db.switch_off_triggers()
    db.execute(ROUTES["plain INSERT of a programme into a published wave"])
    db.switch_on_triggers()
    db.close()
    assert [c.wave_id for c in store.verify().broken] == ["1"]


def test_a_changed_stored_hash_is_named(two_waves):
    store, url = two_waves
    db = raw(url)
    db.switch_off_triggers()
    db.execute(f"UPDATE waves SET chain_sha256 = '{'0' * 64}' WHERE id = 2")
    db.switch_on_triggers()
    db.close()
    assert [c.wave_id for c in store.verify().broken] == ["2"]


def test_rehashing_an_edited_wave_breaks_the_next_link(two_waves):
    store, url = two_waves
    db = raw(url)
    db.switch_off_triggers()
    db.execute("UPDATE waves SET label = 'Forged' WHERE id = 1")
    db.close()
    with store.engine.connect() as conn:  # the forger recomputes wave 1's hash to match
        forged = hashlib.sha256(canonical_content(conn, 1, GENESIS)).hexdigest()
    db = raw(url)
    db.execute(f"UPDATE waves SET chain_sha256 = '{forged}' WHERE id = 1")
    db.switch_on_triggers()
    db.close()
    assert [c.wave_id for c in store.verify().broken] == ["2"]


def test_a_trigger_replaced_by_a_no_op_of_the_same_name_is_detected(two_waves, database_backend):
    sqlite_only(database_backend, "SQLite's trigger SQL (PostgreSQL's: the next test)")
    store, url = two_waves
    db = raw(url)
    db.execute("DROP TRIGGER area_answers_no_delete")
    db.execute(
        "CREATE TRIGGER area_answers_no_delete BEFORE DELETE ON area_answers BEGIN SELECT 1; END"
    )
    db.close()
    assert store.verify().trigger_problems == ("the trigger area_answers_no_delete was altered",)


NO_OP = "RETURNS trigger AS $$ BEGIN RETURN OLD; END $$ LANGUAGE plpgsql"
# Ways to keep a PostgreSQL trigger's name yet stop it refusing anything -> what verify says.
NEUTERED = {
    "a no-op function of the same name's trigger": (
        [
            "DROP TRIGGER area_answers_no_change ON area_answers",
            f"CREATE FUNCTION tamperer_no_op() {NO_OP}",
            "CREATE TRIGGER area_answers_no_change BEFORE UPDATE OR DELETE ON area_answers "
            "FOR EACH ROW EXECUTE FUNCTION tamperer_no_op()",
        ],
        ["the trigger area_answers_no_change on area_answers was altered"],
    ),
    "a condition that never holds": (
        [
            "DROP TRIGGER area_answers_no_change ON area_answers",
            "CREATE TRIGGER area_answers_no_change BEFORE UPDATE OR DELETE ON area_answers "
            "FOR EACH ROW WHEN (false) EXECUTE FUNCTION landscape_refuse_change()",
        ],
        ["the trigger area_answers_no_change on area_answers was altered"],
    ),
    "fewer events": (
        [
            "DROP TRIGGER area_answers_no_change ON area_answers",
            "CREATE TRIGGER area_answers_no_change BEFORE DELETE ON area_answers "
            "FOR EACH ROW EXECUTE FUNCTION landscape_refuse_change()",
        ],
        ["the trigger area_answers_no_change on area_answers was altered"],
    ),
    "its function replaced by a no-op": (
        [f"CREATE OR REPLACE FUNCTION landscape_waves_insert_unsealed_only() {NO_OP}"],
        ["the trigger waves_insert_unsealed_only on waves was altered"],
    ),
    "enabled for replicas only": (
        ["ALTER TABLE waves ENABLE REPLICA TRIGGER waves_no_delete"],
        ["the trigger waves_no_delete on waves is missing or disabled"],
    ),
}


@pytest.mark.parametrize("how", list(NEUTERED), ids=list(NEUTERED))
def test_a_postgresql_trigger_kept_by_name_but_neutered_is_detected(
    two_waves, how, database_backend
):
    if database_backend != "postgresql":
        pytest.skip("PostgreSQL only: its triggers and functions (SQLite's: the test before)")
    store, url = two_waves
    statements, problems = NEUTERED[how]
    db = raw(url)
    for statement in statements:
        db.execute(statement)
    db.close()
    assert list(store.verify().trigger_problems) == problems


def test_a_wave_row_left_unsealed_is_named(two_waves):
    store, url = two_waves
    db = raw(url)
    db.execute(
        "INSERT INTO waves "
        + copy_of_wave_1(id="3", supersedes_id="NULL", sha256="'other'", sealed="false")
    )
    db.close()
    broken = store.verify().broken
    assert [(c.wave_id, c.sealed) for c in broken] == [("3", False)]


# --- restore refuses what does not verify, even with --force ----------------------------------


def restore_cli(backup_file: Path, url: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["restore", str(backup_file), "--force", "--database", url])
    return result.exit_code, result.output


@pytest.fixture
def target(tmp_path: Path) -> tuple[str, Path]:
    """The database a restore would replace: one wave, which must survive a refused restore."""
    path = tmp_path / "live.sqlite"
    live = open_store(sqlite_url(path), seed=False)
    live.publish(valid_workbook(respondent_body="Live"), "live.xlsx", principal=ADMIN, label="Live")
    live.dispose()
    return sqlite_url(path), path


def edited_backup(store: Store, tmp_path: Path, *statements: str, triggers: bool) -> Path:
    copy = backup(store, tmp_path / "edited.sqlite")
    db = raw(copy)
    db.switch_off_triggers()
    for statement in statements:
        db.execute(statement)
    if triggers:
        db.switch_on_triggers()
    db.close()
    return copy


@pytest.fixture
def backups(database_backend: str) -> None:
    """Named first by the restore cases: skips them (before any store is made) on PostgreSQL."""
    sqlite_only(database_backend, "landscape backup/restore are SQLite's (PostgreSQL: pg_dump)")


@pytest.mark.parametrize("triggers", [False, True], ids=["triggers dropped", "triggers restored"])
def test_restore_force_refuses_a_backup_whose_rows_were_edited(
    backups, two_waves, tmp_path, target, triggers
):
    store, _ = two_waves
    url, live = target
    before = live.read_bytes()
    copy = edited_backup(
        store, tmp_path, "UPDATE waves SET label = 'Forged' WHERE id = 1", triggers=triggers
    )
    code, output = restore_cli(copy, url)
    assert code == 1
    assert "does not verify" in output
    assert ("triggers were dropped" in output) is not triggers
    assert ("wave(s) 1 no longer match" in output) is True
    assert live.read_bytes() == before
    assert [w.label for w in open_store(url, seed=False).list_waves()] == ["Live"]


def test_restore_force_refuses_a_backup_with_a_trigger_dropped_and_nothing_edited(
    backups, two_waves, tmp_path, target
):
    store, _ = two_waves
    url, _ = target
    copy = backup(store, tmp_path / "no-trigger.sqlite")
    db = raw(copy)
    db.execute("DROP TRIGGER waves_no_delete")
    db.close()
    code, output = restore_cli(copy, url)
    assert code == 1
    assert "waves_no_delete is missing" in output
    with pytest.raises(StoreError, match="does not verify"):
        from landscape.store import restore

        restore(copy, url)


def test_restore_accepts_an_untouched_backup(backups, two_waves, tmp_path, target):
    store, _ = two_waves
    url, _ = target
    copy = backup(store, tmp_path / "good.sqlite")
    code, output = restore_cli(copy, url)
    assert code == 0, output
    restored = open_store(url, seed=False)
    assert restored.verify().ok
    assert [w.label for w in restored.list_waves()] == ["APCC 2026", "Cambs fix"]


# --- databases from before the chain ----------------------------------------------------------


def test_the_migration_seals_and_chains_waves_stored_before_it(two_waves):
    """Take a database holding two waves back to 0002 (no chain), then forward through every
    migration to the head: the stored waves are hashed, and the triggers are all back."""
    store, url = two_waves
    store.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0002")
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("waves")}
        assert MigrationContext.configure(conn).get_current_revision() == "0002"
    assert "chain_sha256" not in columns
    engine.dispose()
    migrated = open_store(url, seed=False)
    assert current_revision(migrated.engine) == head_revision()
    assert [w.label for w in migrated.list_waves()] == ["APCC 2026", "Cambs fix"]
    verification = migrated.verify()
    assert verification.trigger_problems == ()
    assert verification.ok
    assert [(c.wave_id, c.sealed, c.stored == c.computed) for c in verification.checks] == [
        ("1", True, True),
        ("2", True, True),
    ]


# --- the survey round tables ------------------------------------------------------------------

ROUND_REFUSED = "never changed or deleted|changed only once"


@pytest.fixture
def with_round(two_waves) -> tuple[Store, str, Any]:
    """`two_waves` with an open round holding Cambridgeshire's accepted return."""
    from landscape.store.rounds import Rounds
    from tests.round_support import open_round
    from tests.store_support import CAMBRIDGESHIRE, CAMBS_OFFICE

    store, url = two_waves
    rounds = Rounds(store)
    rid = open_round(rounds).round_id
    _, data = rounds.prefilled_return(CAMBS_OFFICE, rid)
    rounds.upload_return(CAMBS_OFFICE, rid, data, "cambs-return.xlsx")
    rounds.submit_return(CAMBS_OFFICE, rid)
    rounds.accept_return(ADMIN, rid, CAMBRIDGESHIRE)
    return store, url, rounds


def round_triggers_off(db: Raw) -> None:
    from landscape.store import round_seals

    if db.sqlite:
        for name in round_seals.sqlite_triggers():
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for table in round_seals.ROUND_TABLES:
            db.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")


def round_triggers_on(db: Raw) -> None:
    from landscape.store import round_seals

    if db.sqlite:
        for sql in round_seals.sqlite_triggers().values():
            db.execute(sql)
    else:
        for table in round_seals.ROUND_TABLES:
            db.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def test_every_round_row_is_sealed_and_an_untouched_round_verifies(with_round):
    store, _, _ = with_round
    with store.engine.connect() as conn:
        for table in ("survey_rounds", "round_returns", "round_events"):
            hashes = conn.exec_driver_sql(f"SELECT row_sha256 FROM {table}").scalars().all()
            assert hashes and all(len(h) == 64 for h in hashes)
    assert store.verify().ok


ROUND_ROUTES = {
    "UPDATE of a return's records": "UPDATE round_returns SET uploaded_by = 'someone else'",
    "DELETE of a return's events": "DELETE FROM round_events",
    "UPDATE of an open round's label": "UPDATE survey_rounds SET label = 'Forged'",
    "DELETE of a round": "DELETE FROM survey_rounds",
    "INSERT OR REPLACE of an event": (
        "INSERT OR REPLACE INTO round_events (id, return_id, action, actor, at, row_sha256)"
        " SELECT id, return_id, 'reopened', actor, at, row_sha256 FROM round_events WHERE id = 2"
    ),
    "TRUNCATE of the events": "TRUNCATE round_events",
    "TRUNCATE of the rounds and all that refers to them": "TRUNCATE survey_rounds CASCADE",
}
ROUND_ONLY_ON = {
    "INSERT OR REPLACE of an event": ("sqlite", "PostgreSQL has no REPLACE"),
    "TRUNCATE of the events": ("postgresql", "SQLite has no TRUNCATE"),
    "TRUNCATE of the rounds and all that refers to them": ("postgresql", "SQLite has no TRUNCATE"),
}


@pytest.mark.parametrize("route", list(ROUND_ROUTES), ids=list(ROUND_ROUTES))
def test_the_database_refuses_every_route_of_change_to_a_round(with_round, route, database_backend):
    backend, why = ROUND_ONLY_ON.get(route, (database_backend, ""))
    if backend != database_backend:
        pytest.skip(f"{NAMES[backend]} only: {why}")
    store, url, _ = with_round
    db = raw(url)
    with pytest.raises(db.refusal, match=ROUND_REFUSED):
        db.execute(ROUND_ROUTES[route])
    db.close()
    assert store.verify().ok
    assert store.table_counts()["round_events"] == 2


def test_a_return_edited_with_the_triggers_off_is_named_and_never_published(
    with_round, database_backend
):
    store, url, rounds = with_round
    db = raw(url)
    round_triggers_off(db)
    # the accepted return's answer rewritten: what publishing would seal into a wave
    if db.sqlite:
        db.execute("UPDATE round_returns SET records = replace(records, '\"Yes\"', '\"No\"')")
    else:
        db.execute(
            "UPDATE round_returns SET records = replace(records::text, '\"Yes\"', '\"No\"')::json"
        )
    round_triggers_on(db)
    db.close()
    verification = store.verify()
    assert not verification.ok
    assert verification.round_problems == (
        "return 1 (E23000023 version 1) no longer matches its hash: it, or a row before it, "
        "was changed",
    )
    code, output = verify_cli(url)
    assert code == 1 and "1 survey round row(s) no longer match their hashes" in output
    waves = len(store.list_waves())
    with pytest.raises(StoreError, match="do not verify, so it was not published"):
        rounds.publish_round(ADMIN, rounds.current_round(ADMIN).round_id)
    assert len(store.list_waves()) == waves
    assert rounds.current_round(ADMIN).is_open


def test_a_dropped_round_trigger_is_named_by_verify(with_round, database_backend):
    _, url, _ = with_round
    db = raw(url)
    db.drop_trigger("survey_rounds_no_delete", "survey_rounds")
    db.execute("DELETE FROM survey_rounds WHERE 1 = 0")  # nothing deleted, the gap is enough
    db.close()
    code, output = verify_cli(url)
    assert code == 1
    assert missing("survey_rounds_no_delete", "survey_rounds", database_backend) in output


def test_restore_refuses_a_backup_without_the_round_triggers(backups, with_round, tmp_path, target):
    store, _, _ = with_round
    url, live = target
    before = live.read_bytes()
    copy = backup(store, tmp_path / "no-round-triggers.sqlite")
    db = raw(copy)
    round_triggers_off(db)
    db.close()
    code, output = restore_cli(copy, url)
    assert code == 1
    assert "round_returns_no_update is missing" in output
    assert live.read_bytes() == before


# --- the chain head, recorded elsewhere ---------------------------------------------------------


def head_of(output: str) -> str:
    return output.rsplit("Chain head: ", 1)[1].split()[0]


def test_verify_and_waves_print_the_same_chain_head_count_and_hash(two_waves):
    store, url = two_waves
    code, verified = verify_cli(url)
    listed = CliRunner().invoke(main, ["waves", "--database", url]).output
    assert code == 0
    assert head_of(verified) == head_of(listed) == f"2:{store.verify().head}"


def test_verify_expect_accepts_a_chain_grown_from_the_recorded_head(two_waves):
    store, url = two_waves
    recorded = head_of(verify_cli(url)[1])
    store.publish(valid_workbook(respondent_body="Later"), "later.xlsx", principal=ADMIN, label="L")
    result = CliRunner().invoke(main, ["verify", "--database", url, "--expect", recorded])
    assert result.exit_code == 0, result.output
    assert f"extends the recorded {recorded}" in result.output


def test_verify_expect_fails_on_a_rewrite_that_recomputes_every_hash(two_waves, database_backend):
    from landscape.store.verify import chain_hash

    store, url = two_waves
    recorded = head_of(verify_cli(url)[1])
    db = raw(url)
    db.switch_off_triggers()
    db.execute("UPDATE waves SET label = 'Rewritten' WHERE id = 1")
    db.close()
    with store.engine.begin() as conn:  # every hash recomputed, in order: every link holds
        previous = GENESIS
        for (pk,) in conn.exec_driver_sql("SELECT id FROM waves ORDER BY id").all():
            previous = chain_hash(conn, pk, previous)
            conn.execute(
                sa.text("UPDATE waves SET chain_sha256 = :h WHERE id = :id"),
                {"h": previous, "id": pk},
            )
    db = raw(url)
    db.switch_on_triggers()
    db.close()
    assert store.verify().ok  # the rewrite is invisible to the chain alone
    result = CliRunner().invoke(main, ["verify", "--database", url, "--expect", recorded])
    assert result.exit_code == 1
    assert "does not extend the recorded head" in result.output
    assert "the waves up to it were rewritten" in result.output


def test_verify_expect_fails_when_the_newest_waves_were_deleted(two_waves):
    store, url = two_waves
    store.publish(valid_workbook(respondent_body="Later"), "later.xlsx", principal=ADMIN, label="L")
    recorded = head_of(verify_cli(url)[1])
    db = raw(url)
    db.switch_off_triggers()
    for table in ("area_answers", "programme_records", "provenance_records"):
        db.execute(f"DELETE FROM {table} WHERE wave_id = 3")
    db.execute("DELETE FROM waves WHERE id = 3")
    db.switch_on_triggers()
    db.close()
    assert store.verify().ok
    result = CliRunner().invoke(main, ["verify", "--database", url, "--expect", recorded])
    assert result.exit_code == 1 and "waves were deleted" in result.output

"""Tamper evidence for the survey round tables, as `verify.py` gives it to waves.

Every row of `survey_rounds`, `round_returns` and `round_events` carries `row_sha256`: the SHA-256
of one canonical JSON document of the row (for a return: its fields, the SHA-256 of the file's
bytes and the records it stores; for a round: what it was opened with), chained to the
`row_sha256` of the row before it in the same table (by id; the first row's `previous` is
GENESIS). The hash is written with the row, in the transaction that inserts it under the write
lock, with an id given as one more than the largest (so the hash can cover it).

The triggers (migration 0007's and those listed here, created by the migration that adds
`row_sha256`) refuse UPDATE, DELETE, REPLACE and, on PostgreSQL, TRUNCATE of the rows; a round
row is updated once, when it is published. `check_round_rows` recomputes every chain, so a row
changed with the triggers dropped is named by `landscape verify` and by restore's check, and a
round whose rows do not verify is not published (`Rounds.publish_round`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import sqlalchemy as sa

GENESIS = ""
MARKER = "SEALS_ROUND_ROWS"
"""Set True in the migration that adds `row_sha256` and these triggers (found by it, since the
revision ids are renumbered as branches merge)."""

RETURN_TABLES = ("round_returns", "round_events")
ROUND_TABLES = ("survey_rounds", *RETURN_TABLES)
_REFUSE_RETURN = "survey returns are never changed or deleted: upload a new version instead"
_REFUSE_ROUND = "a survey round is changed only once, when it is published"
_ROUND_OPENED = (
    "id",
    "label",
    "period",
    "deadline",
    "survey_date",
    "questions",
    "opened_by",
    "opened_at",
)
"""What a round row was opened with: all its hash covers, and all publishing may not change."""
_RETURN_FIELDS = (
    "id",
    "round_id",
    "area_code",
    "version",
    "uploaded_by",
    "uploaded_at",
    "filename",
    "sha256",
    "records",
    "ignored",
)
_EVENT_FIELDS = ("id", "return_id", "action", "actor", "at")


# --- the chains ----------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _digest(document: Any) -> str:
    text = json.dumps(
        {k: _value(v) for k, v in document.items()},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=_value,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def row_hash(table: str, row: Any, previous: str) -> str:
    """The chained hash of one row of `table` (its values as inserted or as read back)."""
    if table == "survey_rounds":
        document = {name: row[name] for name in _ROUND_OPENED}
    elif table == "round_returns":
        document = {name: row[name] for name in _RETURN_FIELDS}
        document["content_sha256"] = hashlib.sha256(bytes(row["content"])).hexdigest()
    else:
        document = {name: row[name] for name in _EVENT_FIELDS}
    # JSON columns as JSON gives them back (tuples as lists)
    document = json.loads(json.dumps(document, default=_value))
    document["previous"] = previous
    return _digest(document)


def sealed_values(conn: sa.Connection, table: sa.Table, values: dict[str, Any]) -> dict[str, Any]:
    """`values` for a new row of `table` with its id and chained `row_sha256`. Call inside the
    write transaction that inserts it (the lock keeps the id and the previous hash stable)."""
    newest = conn.execute(
        sa.select(table.c.id, table.c.row_sha256).order_by(table.c.id.desc()).limit(1)
    ).one_or_none()
    row = {**values, "id": (int(newest[0]) + 1) if newest else 1}
    previous = (newest[1] or GENESIS) if newest else GENESIS
    return {**row, "row_sha256": row_hash(table.name, row, previous)}


def check_round_rows(conn: sa.Connection) -> list[str]:
    """One sentence per round row whose stored hash its content (or the chain before it) no
    longer gives; none when every chain holds."""
    problems = []
    for name in ROUND_TABLES:
        table = sa.Table(name, sa.MetaData(), autoload_with=conn)
        previous = GENESIS
        for row in conn.execute(sa.select(table).order_by(table.c.id)).mappings():
            stored = row["row_sha256"]
            if stored is None or stored != row_hash(name, row, previous):
                problems.append(f"{_describe(name, row)} {_why(stored)}")
            previous = stored or GENESIS
    return problems


def _describe(table: str, row: Any) -> str:
    if table == "survey_rounds":
        return f"survey round {row['id']}"
    if table == "round_returns":
        return f"return {row['id']} ({row['area_code']} version {row['version']})"
    return f"return event {row['id']} ({row['action']} of return {row['return_id']})"


def _why(stored: str | None) -> str:
    if stored is None:
        return "has no hash (a row added by hand)"
    return "no longer matches its hash: it, or a row before it, was changed"


# --- the triggers --------------------------------------------------------------------------------


def sqlite_triggers() -> dict[str, str]:
    """Name -> SQL of the round tables' triggers on SQLite (0007's and the sealing migration's)."""
    refuse_return = f"BEGIN SELECT RAISE(ABORT, '{_REFUSE_RETURN}'); END"
    refuse_round = f"BEGIN SELECT RAISE(ABORT, '{_REFUSE_ROUND}'); END"
    triggers = {
        f"{table}_no_{action.lower()}": (
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} {refuse_return}"
        )
        for table in RETURN_TABLES
        for action in ("UPDATE", "DELETE")
    }
    triggers["round_returns_insert_new_only"] = (
        "CREATE TRIGGER round_returns_insert_new_only BEFORE INSERT ON round_returns "  # noqa: S608
        "WHEN EXISTS (SELECT 1 FROM round_returns WHERE id = NEW.id OR (round_id = NEW.round_id "
        f"AND area_code = NEW.area_code AND version = NEW.version)) {refuse_return}"
    )
    triggers["round_events_insert_new_only"] = (
        "CREATE TRIGGER round_events_insert_new_only BEFORE INSERT ON round_events "  # noqa: S608
        f"WHEN EXISTS (SELECT 1 FROM round_events WHERE id = NEW.id) {refuse_return}"
    )
    triggers["survey_rounds_insert_new_only"] = (
        "CREATE TRIGGER survey_rounds_insert_new_only BEFORE INSERT ON survey_rounds "  # noqa: S608
        f"WHEN EXISTS (SELECT 1 FROM survey_rounds WHERE id = NEW.id) {refuse_round}"
    )
    triggers["survey_rounds_no_delete"] = (
        f"CREATE TRIGGER survey_rounds_no_delete BEFORE DELETE ON survey_rounds {refuse_round}"
    )
    unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in (*_ROUND_OPENED, "row_sha256"))
    triggers["survey_rounds_update_only_to_publish"] = (
        "CREATE TRIGGER survey_rounds_update_only_to_publish BEFORE UPDATE ON survey_rounds "
        "WHEN NOT (OLD.status = 'open' AND NEW.status = 'published' AND NEW.wave_id IS NOT NULL "
        f"AND {unchanged}) {refuse_round}"
    )
    return triggers


def _pg_column(row: str, column: str) -> str:
    """A column of NEW or OLD as compared in plpgsql (json has no equality: compared as text)."""
    return f"{row}.{column}::text" if column == "questions" else f"{row}.{column}"


_PG_REFUSE_ROUND = (
    f"RAISE EXCEPTION '{_REFUSE_ROUND}' USING ERRCODE = 'integrity_constraint_violation';"
)
POSTGRESQL_FUNCTIONS = {
    "landscape_refuse_return_change": (
        f"BEGIN RAISE EXCEPTION '{_REFUSE_RETURN}' USING ERRCODE = "
        "'integrity_constraint_violation'; END"
    ),
    "landscape_refuse_round_change": f"BEGIN {_PG_REFUSE_ROUND} END",
    "landscape_round_update_only_to_publish": (
        "BEGIN IF OLD.status <> 'open' OR NEW.status <> 'published' OR NEW.wave_id IS NULL OR ("
        + ", ".join(_pg_column("NEW", c) for c in (*_ROUND_OPENED, "row_sha256"))
        + ") IS DISTINCT FROM ("
        + ", ".join(_pg_column("OLD", c) for c in (*_ROUND_OPENED, "row_sha256"))
        + f") THEN {_PG_REFUSE_ROUND} END IF; RETURN NEW; END"
    ),
}
"""Function -> its plpgsql body (0007 made the first)."""

POSTGRESQL_TRIGGERS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("round_returns", "round_returns_no_change"): (
        "BEFORE DELETE OR UPDATE",
        "ROW",
        "landscape_refuse_return_change",
    ),
    ("round_events", "round_events_no_change"): (
        "BEFORE DELETE OR UPDATE",
        "ROW",
        "landscape_refuse_return_change",
    ),
    ("round_returns", "round_returns_no_truncate"): (
        "BEFORE TRUNCATE",
        "STATEMENT",
        "landscape_refuse_return_change",
    ),
    ("round_events", "round_events_no_truncate"): (
        "BEFORE TRUNCATE",
        "STATEMENT",
        "landscape_refuse_return_change",
    ),
    ("survey_rounds", "survey_rounds_no_delete"): (
        "BEFORE DELETE",
        "ROW",
        "landscape_refuse_round_change",
    ),
    ("survey_rounds", "survey_rounds_no_truncate"): (
        "BEFORE TRUNCATE",
        "STATEMENT",
        "landscape_refuse_round_change",
    ),
    ("survey_rounds", "survey_rounds_update_only_to_publish"): (
        "BEFORE UPDATE",
        "ROW",
        "landscape_round_update_only_to_publish",
    ),
}
"""(table, trigger) -> (when, for each, function) on PostgreSQL (0007's two and the rest)."""


def postgresql_trigger_sql(table: str, name: str) -> str:
    when, each, function = POSTGRESQL_TRIGGERS[(table, name)]
    return f"CREATE TRIGGER {name} {when} ON {table} FOR EACH {each} EXECUTE FUNCTION {function}()"


def expected_postgresql_triggers() -> dict[tuple[str, str], tuple[str, str]]:
    """(table, trigger) -> (its definition as pg_get_triggerdef gives it, its function's body)."""
    return {
        key: (postgresql_trigger_sql(*key), POSTGRESQL_FUNCTIONS[function])
        for key, (_when, _each, function) in POSTGRESQL_TRIGGERS.items()
    }

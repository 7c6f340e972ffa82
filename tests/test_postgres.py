"""The PostgreSQL run is real, and the engine's per-dialect settings (issue 13).

This module runs on both backends (tests/conftest.py's BOTH_BACKENDS), like the store suites;
these cases prove that the PostgreSQL run reaches a PostgreSQL server, and that the one-writer
rule and its timeout hold on each backend.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
import sqlalchemy as sa

from landscape.store import StoreBusy, current_revision, head_revision, open_store
from landscape.store.engine import writing
from tests.store_support import ADMIN, database_url, valid_workbook


def test_each_run_uses_the_backend_it_names(tmp_path, database_backend):
    store = open_store(database_url(tmp_path / "store.sqlite"), seed=False)
    assert store.engine.dialect.name == database_backend
    if database_backend == "postgresql":
        with store.engine.connect() as conn:
            version = conn.exec_driver_sql("SHOW server_version_num").scalar_one()
        assert int(version) >= 130000
        assert store.engine.dialect.driver == "psycopg"
    assert current_revision(store.engine) == head_revision()  # alembic upgraded it to head


def test_a_second_writer_waits_for_the_first_then_is_told_to_retry(tmp_path):
    url = database_url(tmp_path / "store.sqlite")
    first = open_store(url, seed=False)
    impatient = open_store(url, seed=False, busy_timeout=dt.timedelta(milliseconds=300))
    with writing(first.engine):
        started = time.monotonic()
        with pytest.raises(StoreBusy, match="try again"):
            impatient.publish(valid_workbook(), "a.xlsx", principal=ADMIN, label="A")
        waited = time.monotonic() - started
    assert 0.25 <= waited < 5  # it waited its timeout, not forever
    assert impatient.list_waves() == []
    # once the first writer is done, the same call goes through
    assert impatient.publish(valid_workbook(), "a.xlsx", principal=ADMIN, label="A").created


def test_readers_do_not_wait_for_a_writer(tmp_path):
    url = database_url(tmp_path / "store.sqlite")
    store = open_store(url, seed=False)
    store.publish(valid_workbook(), "a.xlsx", principal=ADMIN, label="A")
    reader = open_store(url, seed=False, busy_timeout=dt.timedelta(milliseconds=300))
    with writing(store.engine):
        assert [w.label for w in reader.list_waves()] == ["A"]
        assert reader.wave_version() == 1


def test_a_server_engine_keeps_a_small_checked_pool(tmp_path, database_backend):
    if database_backend != "postgresql":
        pytest.skip("pool settings are PostgreSQL's")
    store = open_store(database_url(tmp_path / "store.sqlite"), seed=False)
    pool = store.engine.pool
    assert isinstance(pool, sa.QueuePool)
    assert pool.size() == 5
    assert pool._pre_ping is True  # a connection the server dropped is replaced, not used

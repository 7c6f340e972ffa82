"""Faults: a publish killed mid-transaction, publishes racing, seeding racing, backup and restore.

The kill and race tests run real child processes (`python -c`), which make the store pause inside
its publish transaction by wrapping the function that inserts the records.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from landscape.store import (
    NotALandscapeDatabase,
    StoreError,
    backup,
    check_landscape_database,
    head_revision,
    open_store,
    restore,
)
from tests.store_support import (
    ADMIN,
    database_url,
    fresh_store,
    snapshot,
    sqlite_url,
    valid_workbook,
)

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    """
    import datetime as dt, sys, time
    from pathlib import Path
    import landscape.store.waves as store_module
    from landscape.store import StoreBusy, open_store
    from tests.store_support import ADMIN

    url, data_path, folder, pause, busy_timeout = sys.argv[1:6]
    name = Path(data_path).stem
    original = store_module.insert_records

    def pausing(conn, wave_pk, survey):
        original(conn, wave_pk, survey)
        Path(folder, name + ".inside").write_text("inside the publish transaction")
        deadline = time.monotonic() + float(pause)
        while time.monotonic() < deadline and not Path(folder, name + ".release").exists():
            time.sleep(0.05)

    store_module.insert_records = pausing  # where publishing looks it up
    store = open_store(
        url, seed=False, busy_timeout=dt.timedelta(seconds=float(busy_timeout))
    )
    data = Path(data_path).read_bytes()
    Path(folder, name + ".ready").write_text("about to publish")
    try:
        result = store.publish(data, Path(data_path).name, principal=ADMIN, label=name)
        print("created" if result.created else "duplicate", result.wave.wave_id)
    except StoreBusy as busy:
        print("busy", busy.message)
    """
)


def start_child(
    tmp_path: Path, url: str, data: bytes, name: str, pause: float = 120, busy: float = 10
) -> subprocess.Popen:
    """A process publishing `data` that pauses inside its transaction until released."""
    data_path = tmp_path / f"{name}.xlsx"
    data_path.write_bytes(data)
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(data_path), str(tmp_path), str(pause), str(busy)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path: Path, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"child ended early: {process.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"child never wrote {path.name}")
        time.sleep(0.05)


@pytest.mark.slow
def test_a_publish_killed_inside_its_transaction_leaves_no_trace(tmp_path):
    url = database_url(tmp_path / "store.sqlite")
    store = open_store(url, seed=False)
    store.publish(valid_workbook(), "existing.xlsx", principal=ADMIN, label="Existing")
    before = snapshot(store)
    child = start_child(tmp_path, url, valid_workbook(strategic_board="No"), "killed")
    wait_for(tmp_path / "killed.inside", child)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    after = open_store(url, seed=False)
    assert [w.label for w in after.list_waves()] == ["Existing"]
    assert snapshot(after) == before
    assert after.integrity_check() == "ok"
    # the killed writer's lock is gone: the next publish goes through
    assert after.publish(valid_workbook(), "next.xlsx", principal=ADMIN, label="Next").created
    assert after.integrity_check() == "ok"


@pytest.mark.slow
def test_two_publishes_at_once_both_succeed_when_the_second_can_wait(tmp_path):
    url = database_url(tmp_path / "store.sqlite")
    open_store(url, seed=False)
    first = start_child(tmp_path, url, valid_workbook(), "first")
    wait_for(tmp_path / "first.inside", first)
    second = start_child(tmp_path, url, valid_workbook(strategic_board="No"), "second", busy=60)
    wait_for(tmp_path / "second.ready", second)
    time.sleep(2)  # the second is now waiting for the first's write lock
    assert not (tmp_path / "second.inside").exists()
    (tmp_path / "first.release").touch()
    (tmp_path / "second.release").touch()
    outputs = [p.communicate(timeout=120)[0].split() for p in (first, second)]
    assert outputs == [["created", "1"], ["created", "2"]]
    store = open_store(url, seed=False)
    assert [w.label for w in store.list_waves()] == ["first", "second"]
    assert store.table_counts()["area_answers"] == 8
    assert store.integrity_check() == "ok"


@pytest.mark.slow
def test_a_publish_that_cannot_get_the_lock_is_told_to_retry_and_stores_nothing(tmp_path):
    url = database_url(tmp_path / "store.sqlite")
    open_store(url, seed=False)
    first = start_child(tmp_path, url, valid_workbook(), "first")
    wait_for(tmp_path / "first.inside", first)
    second = start_child(tmp_path, url, valid_workbook(strategic_board="No"), "second", busy=0.5)
    second_out = second.communicate(timeout=120)[0]
    (tmp_path / "first.release").touch()
    first_out = first.communicate(timeout=120)[0]
    assert first_out.startswith("created")
    assert second_out.startswith("busy")
    assert "Nothing was changed: please try again" in second_out
    store = open_store(url, seed=False)
    assert [w.label for w in store.list_waves()] == ["first"]
    assert store.table_counts()["area_answers"] == 4
    assert store.integrity_check() == "ok"


def test_two_threads_publishing_the_same_file_store_it_once(tmp_path):
    import threading

    url = database_url(tmp_path / "store.sqlite")
    data = valid_workbook()
    stores = [open_store(url, seed=False) for _ in range(2)]
    results = []

    def publish(store):
        results.append(store.publish(data, "same.xlsx", principal=ADMIN, label="Same"))

    threads = [threading.Thread(target=publish, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.created for r in results) == [False, True]
    assert results[0].wave.wave_id == results[1].wave.wave_id
    assert stores[0].table_counts()["waves"] == 1
    assert stores[0].integrity_check() == "ok"


SEEDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from landscape.store import open_store
    store = open_store(sys.argv[1], seed=False)
    record = store.seed_bundled_wave(Path(sys.argv[2]))
    print("seeded" if record else "skipped")
    """
)


@pytest.mark.slow
def test_two_processes_starting_on_a_fresh_database_migrate_and_seed_it_once(tmp_path):
    url = database_url(tmp_path / "fresh.sqlite")
    seed_file = tmp_path / "seed.xlsx"
    seed_file.write_bytes(valid_workbook())
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SEEDER, url, str(seed_file)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    assert sorted(out.strip() for out, _ in outputs) == ["seeded", "skipped"]
    store = open_store(url, seed=False)
    assert store.table_counts()["waves"] == 1
    assert store.integrity_check() == "ok"


# --- backup and restore ---------------------------------------------------------------------


@pytest.mark.sqlite_only  # SQLite's online backup; a server is backed up by pg_dump
def test_backup_and_restore_into_a_fresh_path_give_identical_waves(tmp_path):
    store = fresh_store(tmp_path)
    first = store.publish(valid_workbook(), "a.xlsx", principal=ADMIN, label="A").wave
    store.publish(
        valid_workbook(strategic_board="No"),
        "b.xlsx",
        principal=ADMIN,
        label="A",
        corrects=first.wave_id,
    )
    backup_file = backup(store, tmp_path / "backup.sqlite")
    assert check_landscape_database(backup_file) == head_revision()

    restored = restore(backup_file, sqlite_url(tmp_path / "elsewhere" / "restored.sqlite"))
    assert restored.list_waves() == store.list_waves()
    for wave in store.list_waves():
        pd.testing.assert_frame_equal(
            restored.load_survey(wave.wave_id).programmes,
            store.load_survey(wave.wave_id).programmes,
        )
        assert restored.original_file(wave.wave_id) == store.original_file(wave.wave_id)
    assert restored.integrity_check() == "ok"
    assert restored.table_counts() == store.table_counts()


@pytest.mark.sqlite_only  # SQLite's online backup; a server is backed up by pg_dump
def test_restore_refuses_a_file_that_is_not_a_database(tmp_path):
    fake = tmp_path / "notes.sqlite"
    fake.write_text("just some text, not a database")
    target = tmp_path / "target.sqlite"
    with pytest.raises(NotALandscapeDatabase, match="not a SQLite database"):
        restore(fake, sqlite_url(target))
    assert not target.exists()


@pytest.mark.sqlite_only  # SQLite's online backup; a server is backed up by pg_dump
def test_restore_refuses_a_sqlite_database_that_is_not_a_landscape_one(tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER)")
    connection.close()
    with pytest.raises(NotALandscapeDatabase, match="not a landscape one"):
        restore(other, sqlite_url(tmp_path / "target.sqlite"))


@pytest.mark.sqlite_only  # SQLite's online backup; a server is backed up by pg_dump
def test_restore_refuses_a_truncated_backup(tmp_path):
    store = fresh_store(tmp_path)
    store.publish(valid_workbook(), "a.xlsx", principal=ADMIN, label="A")
    backup_file = backup(store, tmp_path / "backup.sqlite")
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(backup_file.read_bytes()[: len(backup_file.read_bytes()) // 2])
    with pytest.raises(NotALandscapeDatabase):
        restore(damaged, sqlite_url(tmp_path / "target.sqlite"))


def test_backup_is_refused_for_a_server_database():
    from landscape.store import sqlite_path

    with pytest.raises(StoreError, match="pg_dump"):
        sqlite_path("postgresql://db.example/landscape")

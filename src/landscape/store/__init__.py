"""Survey waves in SQL, access rules and backups; callers say `from landscape.store import ...`.

One concern per module: `engine` (connection, SQLite settings, write lock, migrations), `waves`
(the `Store`: list, load, publish, seed), `corrections` (what a correction replaces), `records`
(rows <-> records), `backup` (backup, restore, the backup check), `sign_ins` (failed sign-ins),
`errors`, `tables` (the schema), `access` (who may publish what) and `accounts` (the accounts
kept in the database, beside the secrets file's).
"""

from landscape.store.backup import backup, check_landscape_database, restore, sqlite_path
from landscape.store.corrections import apply_area_correction
from landscape.store.engine import create_engine, current_revision, head_revision, migrate
from landscape.store.errors import NotALandscapeDatabase, StoreBusy, StoreError, WaveNotFound
from landscape.store.records import WaveRecord, records_for
from landscape.store.waves import (
    SEED_LABEL,
    SEED_UPLOADER,
    PreparedUpload,
    PublishResult,
    Store,
    open_store,
    sha256_hex,
)

__all__ = [
    "SEED_LABEL",
    "SEED_UPLOADER",
    "NotALandscapeDatabase",
    "PreparedUpload",
    "PublishResult",
    "Store",
    "StoreBusy",
    "StoreError",
    "WaveNotFound",
    "WaveRecord",
    "apply_area_correction",
    "backup",
    "check_landscape_database",
    "create_engine",
    "current_revision",
    "head_revision",
    "migrate",
    "open_store",
    "records_for",
    "restore",
    "sha256_hex",
    "sqlite_path",
]

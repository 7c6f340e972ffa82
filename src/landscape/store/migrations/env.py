"""Alembic environment: migrate the connection the store hands over (or the configured URL).

`open_store` passes its own connection, already inside a write transaction, through
`config.attributes["connection"]`, so a migration and the check that it is needed happen under one
lock. Running `alembic` by hand (with `-x url=...`) also works.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from landscape.store.tables import metadata

config = context.config


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds tables
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    from landscape.config import load_settings

    url = context.get_x_argument(as_dictionary=True).get("url") or load_settings().database_url
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()

"""Failed sign-in attempts, kept in the database so the sign-in limit holds across processes
(the `access.FailedSignInLog` that `access.Authenticator` counts against)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from landscape.store.engine import writing
from landscape.store.tables import failed_sign_ins

# Longer than any sign-in limit's window, so pruning never forgets an attempt that still counts.
FAILED_SIGN_IN_RETENTION = timedelta(days=1)


class FailedSignIns:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def record_failed_sign_in(self, username: str, client: str, at: datetime) -> None:
        with writing(self.engine) as conn:
            conn.execute(
                failed_sign_ins.insert().values(
                    username=username[:200], client=client[:200], attempted_at=at
                )
            )
            conn.execute(
                failed_sign_ins.delete().where(
                    failed_sign_ins.c.attempted_at < at - FAILED_SIGN_IN_RETENTION
                )
            )

    def failed_sign_ins_since(
        self, since: datetime, *, username: str | None = None, client: str | None = None
    ) -> list[datetime]:
        query = sa.select(failed_sign_ins.c.attempted_at).where(
            failed_sign_ins.c.attempted_at >= since
        )
        if username is not None:
            query = query.where(failed_sign_ins.c.username == username[:200])
        if client is not None:
            query = query.where(failed_sign_ins.c.client == client[:200])
        with self.engine.connect() as conn:
            return [row[0] for row in conn.execute(query)]

    def clear_failed_sign_ins(self, username: str) -> None:
        with writing(self.engine) as conn:
            conn.execute(failed_sign_ins.delete().where(failed_sign_ins.c.username == username))

"""Sign-in attempts, kept in the database so the sign-in limit holds across processes and threads
(the `access.FailedSignInLog` that `access.Authenticator` counts against).

An attempt is counted and recorded in one write transaction (SQLite's BEGIN IMMEDIATE, the
advisory lock on PostgreSQL), before its password is checked: a second attempt waits for the
first's count and record, so no number of parallel attempts sees a stale count. A right password
then clears the account's failures, this attempt's row with them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from landscape.store.access import Attempt, Reservation
from landscape.store.engine import writing
from landscape.store.tables import failed_sign_ins

# Longer than any sign-in limit's window, so pruning never forgets an attempt that still counts.
FAILED_SIGN_IN_RETENTION = timedelta(days=1)
_COLUMN_LENGTH = 200


class FailedSignIns:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def reserve(self, attempt: Attempt, *, since: datetime, max_failures: int) -> Reservation:
        with writing(self.engine) as conn:
            # a name that is no account (kept as its digest) is counted and locked as an account
            # is: what happens to a name tells nothing of whether it exists
            account_failures = _since(conn, since, username=attempt.name)
            client_failures = _since(conn, since, client=attempt.client)
            if max(len(account_failures), len(client_failures)) >= max_failures:
                return Reservation(None, account_failures, client_failures)
            attempt_id = conn.execute(
                failed_sign_ins.insert()
                .values(
                    username=attempt.name[:_COLUMN_LENGTH],
                    client=attempt.client[:_COLUMN_LENGTH],
                    attempted_at=attempt.at,
                )
                .returning(failed_sign_ins.c.id)
            ).scalar_one()
            conn.execute(
                failed_sign_ins.delete().where(
                    failed_sign_ins.c.attempted_at < attempt.at - FAILED_SIGN_IN_RETENTION
                )
            )
        return Reservation(attempt_id, account_failures, client_failures)

    def failed_sign_ins_since(
        self, since: datetime, *, username: str | None = None, client: str | None = None
    ) -> list[datetime]:
        with self.engine.connect() as conn:
            return _since(conn, since, username=username, client=client)

    def clear_failed_sign_ins(self, username: str) -> None:
        with writing(self.engine) as conn:
            conn.execute(
                failed_sign_ins.delete().where(
                    failed_sign_ins.c.username == username[:_COLUMN_LENGTH]
                )
            )


def _since(
    conn: sa.Connection, since: datetime, *, username: str | None = None, client: str | None = None
) -> list[datetime]:
    query = sa.select(failed_sign_ins.c.attempted_at).where(failed_sign_ins.c.attempted_at >= since)
    if username is not None:
        query = query.where(failed_sign_ins.c.username == username[:_COLUMN_LENGTH])
    if client is not None:
        query = query.where(failed_sign_ins.c.client == client[:_COLUMN_LENGTH])
    return [row[0] for row in conn.execute(query)]

"""Who may publish what: principals, roles, sign-in with rate limiting, and the upload rules.

Anyone may read. Publishing needs a signed-in principal:

- an APCC administrator ("admin") publishes whole-survey waves;
- an area office ("area") is bound to one ONS area code and may submit and correct only its own
  area's rows; an upload that touches any other area is refused, naming each such row.

The store calls `check_upload` inside every publish, so the rules hold whatever the interface
shows. No streamlit here: the page, the CLI and the tests use the same rules.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from openpyxl.utils import get_column_letter

from landscape.areas import display_name
from landscape.config import AccountConfig, RoleGrant
from landscape.errors import LandscapeError, Problem
from landscape.intake.uploads import CellLocator
from landscape.schema import AREAS, PROGRAMMES, Sheet
from landscape.survey import Survey

FIRST_DATA_ROW = 2
"""Excel row of a sheet's first record (row 1 holds the column headers)."""


class Role(StrEnum):
    ADMIN = "admin"
    AREA = "area"


@dataclass(frozen=True)
class Principal:
    """A signed-in person: how they signed in is forgotten, what they may do is kept."""

    username: str
    role: Role
    area_code: str | None = None

    def __post_init__(self) -> None:
        if self.role is Role.AREA and not self.area_code:
            raise ValueError("an area-office principal needs an area code")

    @property
    def description(self) -> str:
        if self.role is Role.ADMIN:
            return f"{self.username} (APCC administrator)"
        return f"{self.username} (area office, {display_name(str(self.area_code))})"


class AccessDenied(LandscapeError):
    """The principal may not make this change; `problems` names each offending row."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message, problems=problems or ())


class NotSignedIn(AccessDenied):
    def __init__(self) -> None:
        super().__init__("Sign in to publish survey data.")


def principal_from_account(account: AccountConfig) -> Principal:
    return Principal(account.username, Role(account.role), account.area)


def principal_for_email(email: str | None, grants: Mapping[str, RoleGrant]) -> Principal | None:
    """The principal an OpenID Connect identity maps to, or None (may read, may not publish)."""
    if not email:
        return None
    grant = grants.get(email.strip().lower())
    if grant is None:
        return None
    return Principal(email.strip().lower(), Role(grant.role), grant.area)


def check_upload(
    principal: Principal | None, survey: Survey, locate: CellLocator | None = None
) -> None:
    """Raise unless `principal` may publish `survey` (for an area office: only its own rows).

    `locate` gives each refused row's cell as the file shows it; without it, rows are assumed to
    start at row 2 with no blank rows between.
    """
    if principal is None:
        raise NotSignedIn()
    if principal.role is Role.ADMIN:
        return
    problems = rows_outside_area(survey, str(principal.area_code), locate)
    own_rows = (survey.areas["area_code"] == principal.area_code).sum()
    if own_rows == 0:
        problems.insert(
            0,
            Problem(
                sheet=AREAS.name,
                cell=None,
                value=None,
                message=f"There is no row for {display_name(str(principal.area_code))}.",
                fix="Add your area's row to the Areas sheet: a correction replaces the whole row.",
            ),
        )
    if problems:
        raise AccessDenied(
            f"An area office can change only its own area "
            f"({display_name(str(principal.area_code))}); this upload touches other rows.",
            problems,
        )


def rows_outside_area(
    survey: Survey, area_code: str, locate: CellLocator | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    for sheet, frame in ((AREAS, survey.areas), (PROGRAMMES, survey.programmes)):
        cell_column = _force_area_column(sheet)
        for position, code in enumerate(frame["area_code"]):
            if code == area_code:
                continue
            cell = locate(sheet.name, position) if locate else None
            problems.append(
                Problem(
                    sheet=sheet.name,
                    cell=cell or f"{cell_column}{position + FIRST_DATA_ROW}",
                    value=display_name(str(code)),
                    message=(
                        f"This row is for {display_name(str(code))}; your account may change "
                        f"only {display_name(area_code)}."
                    ),
                    fix="Remove the row, or ask the APCC administrator to publish it.",
                )
            )
    return problems


def _force_area_column(sheet: Sheet) -> str:
    return get_column_letter(sheet.column_names.index("force_area") + 1)


# --- Sign-in --------------------------------------------------------------------------------


class SignInFailed(LandscapeError):
    pass


class SignInLocked(SignInFailed):
    def __init__(self, retry_after: timedelta) -> None:
        minutes = max(1, math.ceil(retry_after.total_seconds() / 60))
        unit = "minute" if minutes == 1 else "minutes"
        super().__init__(f"Too many failed sign-in attempts. Try again in {minutes} {unit}.")
        self.retry_after = retry_after
        self.minutes = minutes


WRONG_CREDENTIALS = "The username or password is not right. Check them and try again."


class FailedSignInLog(Protocol):
    """Where failed attempts are kept (the store's database, so limits hold across processes)."""

    def record_failed_sign_in(self, username: str, client: str, at: datetime) -> None: ...

    def failed_sign_ins_since(
        self, since: datetime, *, username: str | None = None, client: str | None = None
    ) -> list[datetime]: ...

    def clear_failed_sign_ins(self, username: str) -> None: ...


@dataclass(frozen=True)
class RateLimit:
    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Authenticator:
    """Checks a username and password against the configured argon2 hashes, with rate limits.

    Unknown usernames cost the same work as known ones (a dummy hash is verified), and both get
    the same message, so the form does not reveal which accounts exist.
    """

    def __init__(
        self,
        accounts: Mapping[str, AccountConfig],
        log: FailedSignInLog,
        *,
        limit: RateLimit | None = None,
        clock: Callable[[], datetime] = utc_now,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._accounts = accounts
        self._log = log
        self._limit = limit or RateLimit()
        self._clock = clock
        self._hasher = hasher or PasswordHasher()
        self._dummy_hash = self._hasher.hash("landscape-dummy-password")

    def sign_in(self, username: str, password: str, client: str = "unknown") -> Principal:
        key = username.strip().lower()
        now = self._clock()
        self._refuse_if_locked(key, client, now)
        account = self._accounts.get(username.strip())
        verified = self._verify(account.password_hash if account else self._dummy_hash, password)
        if account is None or not verified:
            self._log.record_failed_sign_in(key, client, now)
            raise SignInFailed(WRONG_CREDENTIALS)
        self._log.clear_failed_sign_ins(key)
        return principal_from_account(account)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _refuse_if_locked(self, key: str, client: str, now: datetime) -> None:
        since = now - self._limit.window
        for failures in (
            self._log.failed_sign_ins_since(since, username=key),
            self._log.failed_sign_ins_since(since, client=client),
        ):
            if len(failures) >= self._limit.max_failures:
                # Locked until enough of the window's failures have aged out.
                oldest_that_matters = sorted(failures)[-self._limit.max_failures]
                raise SignInLocked(oldest_that_matters + self._limit.window - now)


def hash_password(password: str) -> str:
    return PasswordHasher().hash(password)

"""Who may publish what: principals, roles, sign-in with rate limiting, and the upload rules.

Anyone may read. Publishing needs a signed-in principal:

- an APCC administrator ("admin") publishes whole-survey waves;
- an area office ("area") is bound to one ONS area code and may submit and correct only its own
  area's rows; an upload that touches any other area is refused, naming each such row.

The store calls `check_upload` inside every publish, so the rules hold whatever the interface
shows. No streamlit here: the page, the CLI and the tests use the same rules.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import ipaddress
import math
import os
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from openpyxl.utils import get_column_letter

from landscape.areas import display_name
from landscape.config import AccountConfig, RoleGrant
from landscape.errors import LandscapeError, Problem
from landscape.intake.uploads import CellLocator
from landscape.schema import AREAS, PROGRAMMES, Sheet
from landscape.survey import Survey

if TYPE_CHECKING:
    import pandas as pd

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

    def __init__(
        self, message: str, problems: list[Problem] | None = None, *, fix: str = ""
    ) -> None:
        super().__init__(message, fix=fix, problems=problems or ())


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


@dataclass(frozen=True)
class UploadScope:
    """What an area office's upload was taken to be: its own rows, and the rows of other areas
    it carried unchanged from `base` (the whole workbook sent back), which are ignored."""

    ignored: tuple[str, ...] = ()
    """The other areas whose rows came back unchanged, by ONS code."""

    @property
    def summary(self) -> str:
        if not self.ignored:
            return ""
        n = len(self.ignored)
        return (
            f"The rows of {n} other {'area' if n == 1 else 'areas'}, unchanged from the "
            "published wave, were ignored: only your own area's rows are taken."
        )

    @property
    def refused_summary(self) -> str:
        """The same, as the tail of a refusal's message ("" when nothing was ignored)."""
        if not self.ignored:
            return ""
        n = len(self.ignored)
        names = ", ".join(display_name(c) for c in self.ignored)
        return (
            f"; the rows of {n} other {'area' if n == 1 else 'areas'} ({names}), unchanged "
            "from the published wave, were ignored"
        )


def check_upload(
    principal: Principal | None,
    survey: Survey,
    locate: CellLocator | None = None,
    *,
    base: Survey | None = None,
) -> UploadScope:
    """Raise unless `principal` may publish `survey` (for an area office: only its own rows).

    With `base` (the wave the office downloaded), rows of other areas equal to base's are
    ignored, so a whole workbook with only the office's own rows edited is accepted; only rows
    that really change another area are refused, each named. `locate` gives each refused row's
    cell as the file shows it; without it, rows are assumed to start at row 2 with no blank
    rows between.
    """
    if principal is None:
        raise NotSignedIn()
    if principal.role is Role.ADMIN:
        return UploadScope()
    problems = rows_outside_area(survey, str(principal.area_code), locate, base=base)
    area = display_name(str(principal.area_code))
    if not (survey.areas["area_code"] == principal.area_code).any():
        problems.insert(
            0,
            Problem(
                sheet=AREAS.name,
                cell=None,
                value=None,
                message=f"There is no row for {area}.",
                fix="Add your area's row to the Areas sheet: it replaces your whole row.",
            ),
        )
        if len(problems) == 1:
            raise AccessDenied(
                f"This upload has no row for {area}", problems, fix=f"Upload {area}'s own return"
            )
    others = {str(c) for c in survey.areas["area_code"]} | {
        str(c) for c in survey.programmes["area_code"]
    }
    others.discard(str(principal.area_code))
    if problems:
        changed = {p.value for p in problems if p.value}
        ignored = UploadScope(
            tuple(sorted(c for c in others if display_name(c) not in changed))
        ).refused_summary
        raise AccessDenied(
            f"An area office can change only its own area ({area}); this upload changes "
            f"{_areas_named(sorted(changed))}, each row named below{ignored}",
            problems,
            fix="Upload only your own area's rows (your return), or leave the other rows as "
            "they were downloaded",
        )
    return UploadScope(tuple(sorted(others)))


def _areas_named(names: list[str]) -> str:
    if not names:
        return "other areas' rows"
    n = len(names)
    return f"the rows of {n} other {'area' if n == 1 else 'areas'} ({', '.join(names)})"


def rows_outside_area(
    survey: Survey,
    area_code: str,
    locate: CellLocator | None = None,
    *,
    base: Survey | None = None,
) -> list[Problem]:
    """A problem for each row of another area, except (with `base`) rows equal to base's."""
    problems: list[Problem] = []
    for sheet, frame in ((AREAS, survey.areas), (PROGRAMMES, survey.programmes)):
        cell_column = _force_area_column(sheet)
        published = _keyed_records(sheet, base) if base is not None else {}
        for position, record in enumerate(_records(sheet, frame)):
            code = record["area_code"]
            if code == area_code:
                continue
            before = published.get(_row_key(sheet, record))
            if before == record:
                continue  # carried back unchanged from the downloaded workbook: not a change
            cell = locate(sheet.name, position) if locate else None
            problems.append(
                Problem(
                    sheet=sheet.name,
                    cell=cell or f"{cell_column}{position + FIRST_DATA_ROW}",
                    value=display_name(str(code)),
                    message=_other_area_message(
                        sheet, record, before, area_code, compared=base is not None
                    ),
                    fix="Remove the row, or ask the APCC administrator to publish it",
                )
            )
    return problems


def _other_area_message(
    sheet: Sheet,
    record: dict[str, object],
    before: dict[str, object] | None,
    own: str,
    *,
    compared: bool,
) -> str:
    area = display_name(str(record["area_code"]))
    row = area if sheet is AREAS else f"{area}'s programme {record.get('programme_name')!r}"
    if before is None:
        what = f"is for {row}" if not compared else f"adds a row for {row}"
    else:
        changed = [k for k in record if record[k] != before.get(k)]
        what = f"changes {row} ({', '.join(changed)})"
    return f"This row {what}; your account may change only {display_name(own)}"


def _records(sheet: Sheet, frame: pd.DataFrame) -> list[dict[str, object]]:
    from landscape.store.records import frame_records  # records imports the tables, not this

    return frame_records(sheet, frame)


def _row_key(sheet: Sheet, record: dict[str, object]) -> tuple[str, ...]:
    return tuple(str(record.get("area_code" if k == "force_area" else k)) for k in sheet.key)


def _keyed_records(sheet: Sheet, survey: Survey) -> dict[tuple[str, ...], dict[str, object]]:
    frame = survey.areas if sheet is AREAS else survey.programmes
    return {_row_key(sheet, r): r for r in _records(sheet, frame)}


def _force_area_column(sheet: Sheet) -> str:
    return get_column_letter(sheet.column_names.index("force_area") + 1)


# --- Sign-in --------------------------------------------------------------------------------


class SignInFailed(LandscapeError):
    pass


class SignInLocked(SignInFailed):
    """Refused without checking the password: too many failures of the username or the client.
    Only a client's own lock says so (it tells nothing of any account); a username's lock reads
    as every other failure of that name, `wrong_credentials`, whether or not it is an account."""

    def __init__(self, retry_after: timedelta, message: str | None = None) -> None:
        minutes = max(1, math.ceil(retry_after.total_seconds() / 60))
        unit = "minute" if minutes == 1 else "minutes"
        super().__init__(
            message or f"Too many failed sign-in attempts. Try again in {minutes} {unit}."
        )
        self.retry_after = retry_after
        self.minutes = minutes


def wrong_credentials(limit: RateLimit) -> str:
    """What every failed sign-in under a username says, whatever the name and however it failed
    (no such account, a wrong password, the name locked): one text, so that it reveals nothing."""
    minutes = max(1, math.ceil(limit.window.total_seconds() / 60))
    return (
        f"The username or password is not right (after {limit.max_failures} failed attempts "
        f"a username is locked for {minutes} minutes). Check them and try again."
    )


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt as the log keeps it: counted (as a failure) before the password is
    checked, forgiven if it was right."""

    name: str
    """The account's username, or, for a name that is no account, `unknown_name_digest` of it
    (a password typed into the username field is never stored readably)."""
    client: str
    """Who is knocking: `client_address` for the dashboard, `local_client` for the CLI."""
    at: datetime
    is_account: bool


@dataclass(frozen=True)
class Reservation:
    """The log's answer to an attempt: its id if it was counted and the password may be checked,
    or None and the failures in the window that refuse it."""

    attempt_id: int | None
    account_failures: list[datetime]
    client_failures: list[datetime]


class FailedSignInLog(Protocol):
    """Where attempts are kept (the store's database, so limits hold across processes)."""

    def reserve(self, attempt: Attempt, *, since: datetime, max_failures: int) -> Reservation:
        """In one transaction under the write lock: count the account's failures (if it is an
        account) and the client's since `since`; below `max_failures` both, record `attempt`."""
        ...

    def failed_sign_ins_since(
        self, since: datetime, *, username: str | None = None, client: str | None = None
    ) -> list[datetime]: ...

    def clear_failed_sign_ins(self, username: str) -> None: ...


@dataclass(frozen=True)
class RateLimit:
    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)


WRONG_CREDENTIALS = wrong_credentials(RateLimit())
"""What a failed sign-in says under the default limit."""


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# Per process: a digest shows that the same unknown name came again, and nothing more.
_UNKNOWN_NAME_KEY = secrets.token_bytes(32)
UNKNOWN_NAME_PREFIX = "not-an-account:"


def unknown_name_digest(username: str) -> str:
    """What the log stores for a username that is no account: a keyed HMAC-SHA256, so a password
    typed into the username field cannot be read back from the database."""
    digest = hmac.new(_UNKNOWN_NAME_KEY, username.strip().lower().encode(), hashlib.sha256)
    return UNKNOWN_NAME_PREFIX + digest.hexdigest()


class Authenticator:
    """Checks a username and password against the configured argon2 hashes, with rate limits.

    Each attempt is counted before its password is checked, in one transaction with the counts
    it is checked against, so parallel attempts cannot pass the limit between a count and a
    record. An account is locked only by failures against it; every failure, whatever the name,
    counts against the client, so inventing names throttles the one who invents them.

    Every attempt costs one argon2 verification (a dummy hash for an unknown name, and for a
    locked one), a name that is no account is counted and locked exactly as an account is, and
    every failure under a name says the same (`wrong_credentials`): neither the message nor the
    work reveals which accounts exist.
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

    def sign_in(self, username: str, password: str, client: str) -> Principal:
        now = self._clock()
        account = self._accounts.get(username.strip())
        attempt = Attempt(
            name=account.username if account else unknown_name_digest(username),
            client=client,
            at=now,
            is_account=account is not None,
        )
        reservation = self._log.reserve(
            attempt, since=now - self._limit.window, max_failures=self._limit.max_failures
        )
        counted = reservation.attempt_id is not None
        # One argon2 verification on every path (an unknown or locked name: the dummy hash), so
        # the time taken says nothing of which path it was.
        verified = self._verify(
            account.password_hash if account and counted else self._dummy_hash, password
        )
        if not counted:
            raise self._locked(reservation, now)
        if account is None or not verified:
            # the reserved attempt stays, as a failure
            raise SignInFailed(wrong_credentials(self._limit))
        self._log.clear_failed_sign_ins(account.username)
        return principal_from_account(account)

    def _locked(self, refused: Reservation, now: datetime) -> SignInLocked:
        """A client over the limit is told so (that reveals nothing of any account); a username
        over it reads as any failure of that name."""
        retry_after = self._retry_after(refused, now)
        if len(refused.client_failures) >= self._limit.max_failures:
            return SignInLocked(retry_after)
        return SignInLocked(retry_after, wrong_credentials(self._limit))

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _retry_after(self, refused: Reservation, now: datetime) -> timedelta:
        """Locked until enough of the window's failures have aged out (the longer of the
        account's and the client's wait)."""
        most = self._limit.max_failures
        return max(
            sorted(failures)[-most] + self._limit.window - now
            for failures in (refused.account_failures, refused.client_failures)
            if len(failures) >= most
        )


# --- Who is knocking ----------------------------------------------------------------------

LOOPBACK_CLIENT = "loopback"
"""The key of a visitor on this machine (Streamlit gives no address for 127.0.0.1 or ::1)."""


def client_address(peer: str | None, forwarded_for: Sequence[str], trusted_proxies: int) -> str:
    """The key the per-client sign-in limit counts against.

    `peer` is the address the server saw (`st.context.ip_address`), `forwarded_for` every
    X-Forwarded-For header value. With no trusted proxies the header is ignored, since the client
    writes it. With `trusted_proxies` = N, the client is the right-most hop that none of the N
    proxies wrote: the N-th from the right (each proxy appends the address it saw, so hops a
    client sends itself sit to the left of it and cannot change it). IPv6 clients are keyed by
    their /64, which one client holds whole.
    """
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    if trusted_proxies > 0 and len(hops) >= trusted_proxies:
        proxied = _ip_key(_hop_host(hops[-trusted_proxies]))
        if proxied is not None:
            return proxied
    if peer is None or (hops and peer == _server_rewrite(hops)):
        # Streamlit's server (uvicorn) itself replaces a loopback peer's address with the
        # header's last non-loopback hop: an address equal to that may be the header's, not the
        # socket's, so it is keyed as the loopback peer it may be, never as the header's value.
        return LOOPBACK_CLIENT
    return _ip_key(peer) or f"peer:{peer[:100]}"


def local_client() -> str:
    """The CLI's client key: the operating-system account running it, so that one person's
    failures under invented names throttle that person, not every administrator's CLI."""
    try:
        return f"cli:{getpass.getuser()}"[:200]
    except (OSError, KeyError):  # no login name (a container without a passwd entry)
        return f"cli:uid-{os.getuid()}" if hasattr(os, "getuid") else "cli:unnamed"


def _hop_host(hop: str) -> str:
    """A forwarded hop's host, without a port: `1.2.3.4:80` and `[::1]:80` as uvicorn reads them."""
    if hop.startswith("["):
        return hop[1:].split("]", 1)[0]
    if hop.count(":") == 1:
        return hop.split(":", 1)[0]
    return hop


def _server_rewrite(hops: Sequence[str]) -> str:
    """The client address uvicorn reports for a loopback peer sending these hops: the right-most
    hop not on loopback, else the left-most."""
    for hop in reversed(hops):
        host = _hop_host(hop)
        if host not in ("127.0.0.1", "::1"):
            return host
    return _hop_host(hops[0])


def _ip_key(text: str) -> str | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None  # "unknown", a name, garbage: not an address anyone is known by
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return LOOPBACK_CLIENT
    if isinstance(address, ipaddress.IPv6Address):
        return f"ip:{ipaddress.IPv6Network((address, 64), strict=False)}"
    return f"ip:{address}"


def hash_password(password: str) -> str:
    return PasswordHasher().hash(password)

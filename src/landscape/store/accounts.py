"""Accounts kept in the database: password accounts and OpenID Connect email mappings, managed by
administrators (`landscape accounts`), with every change written to an append-only audit trail.

- A password account is added without a password: adding (or resetting) it issues a one-time
  set-password code, returned once to be handed to the person, stored only as its SHA-256, and
  expiring (72 hours unless said otherwise). The person sets their own password with it, on the
  Upload page or with `landscape accounts set-password`; the password is kept as an argon2 hash.
  A reset clears the password at once, so every session signed in with it ends at its next page.
- An email mapping says what an OpenID Connect identity may do: the identity provider vouches
  for the email, so it has no password and no code.
- A disabled account cannot sign in (it is treated as no account at all) and is kept, with its
  history; enabling it restores it as it was.

The secrets file's accounts (`[auth.accounts]`, `LANDSCAPE_ACCOUNTS`) and email roles bootstrap
the first administrator and keep working beside these. Where a name is in both, the file wins:
the operator who holds the file can always sign in, and nothing written to the database can
shadow or lock out an account the file defines. So `add` refuses a name the file already has,
and `disable`/`reset` refuse one that only the file defines (edit the file for those).

No streamlit here: the CLI, the Upload page and the tests call the same methods, each naming the
signed-in principal it acts for.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from argon2 import PasswordHasher

from landscape.areas import display_name, match_area
from landscape.config import AccountConfig, RoleGrant, Settings
from landscape.store.access import AccessDenied, Principal, Role, utc_now
from landscape.store.engine import writing
from landscape.store.errors import StoreError
from landscape.store.tables import account_codes, account_events, accounts

CODE_LIFETIME = timedelta(hours=72)
MAX_CODE_LIFETIME = timedelta(days=14)
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1000
DASHBOARD = "dashboard"
"""The `via` of a change made on the Upload page (the CLI's is `access.local_client()`)."""

# 20 symbols from 32 (no 0/O, 1/I/L): 100 bits, typed in four groups of five.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 20
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
ACTIVE, DISABLED = "active", "disabled"
FROM_FILE = "secrets file"
FROM_DATABASE = "database"


class AccountKind(StrEnum):
    PASSWORD = "password"  # noqa: S105 - a kind of account, not a password
    EMAIL = "email"


class AccountRefused(StoreError):
    """An account change that cannot be made; the message says why and what to do."""


CODE_NOT_RIGHT = (
    "That account name and one-time code do not match an open code (a code works once, and "
    "only until it expires)"
)
CODE_NOT_RIGHT_FIX = "Check both, or ask an APCC administrator for a new code"


@dataclass(frozen=True)
class Account:
    """An account as an administrator sees it: what it may do, and where it is defined."""

    name: str
    kind: AccountKind
    role: Role
    area_code: str | None
    source: str
    """`FROM_DATABASE` (managed with `landscape accounts`) or `FROM_FILE` (the secrets file)."""
    active: bool = True
    has_password: bool = True
    code_expires_at: datetime | None = None
    """When the account's open set-password code expires (None: no open code)."""
    created_by: str = ""
    created_at: datetime | None = None
    changed_at: datetime | None = None

    @property
    def may(self) -> str:
        if self.role is Role.ADMIN:
            return "APCC administrator"
        return f"area office, {display_name(str(self.area_code))}"

    def state(self, now: datetime) -> str:
        if not self.active:
            return "disabled"
        if self.kind is AccountKind.EMAIL or self.has_password:
            return "active"
        if self.code_expires_at is not None and self.code_expires_at > now:
            return f"awaiting its password (code valid until {utc_text(self.code_expires_at)})"
        return "awaiting its password (code expired: reset it)"


@dataclass(frozen=True)
class IssuedCode:
    """A one-time set-password code, in the clear: shown once, never stored so."""

    account: str
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class AccountEvent:
    """One entry of the audit trail: what was done to which account, by whom, how and when."""

    account: str
    action: str
    actor: str
    via: str
    at: datetime
    detail: str


class Accounts:
    """The database's accounts beside the secrets file's (`settings`), for one store's engine."""

    def __init__(
        self,
        engine: sa.Engine,
        settings: Settings | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self.engine = engine
        self.file_accounts: Mapping[str, AccountConfig] = settings.accounts if settings else {}
        self.file_email_roles: Mapping[str, RoleGrant] = settings.email_roles if settings else {}
        self._clock = clock
        self._hasher = hasher or PasswordHasher()

    def now(self) -> datetime:
        return self._clock()

    # --- what sign-in reads ------------------------------------------------------------------

    def sign_in_accounts(self) -> Mapping[str, AccountConfig]:
        """Every password account that may sign in, as `access.Authenticator` reads them: the
        secrets file's, then the database's active ones with a password set."""
        return _PasswordAccounts(self)

    def email_roles(self) -> Mapping[str, RoleGrant]:
        """What each OpenID Connect email may do, as `access.principal_for_email` reads it."""
        return _EmailRoles(self)

    def password_account(self, name: str) -> AccountConfig | None:
        found = self.file_accounts.get(name)
        if found is not None:
            return found
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(accounts).where(
                    accounts.c.name == name.strip().lower(),
                    accounts.c.kind == AccountKind.PASSWORD.value,
                    accounts.c.status == ACTIVE,
                    accounts.c.password_hash.is_not(None),
                )
            ).one_or_none()
        if row is None:
            return None
        return AccountConfig(row.name, row.password_hash, row.role, row.area_code)

    def email_grant(self, email: str) -> RoleGrant | None:
        key = email.strip().lower()
        found = self.file_email_roles.get(key)
        if found is not None:
            return found
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(accounts.c.role, accounts.c.area_code).where(
                    accounts.c.name == key,
                    accounts.c.kind == AccountKind.EMAIL.value,
                    accounts.c.status == ACTIVE,
                )
            ).one_or_none()
        return RoleGrant(row.role, row.area_code) if row is not None else None

    def revoked(self, principal: Principal) -> bool:
        """Whether a password sign-in made earlier in a session no longer stands: its database
        account has since been disabled, reset or given another role. (A secrets-file account
        is the file's to change; the store re-checks every change against the principal.)"""
        if principal.username in self.file_accounts:
            return False
        with self.engine.connect() as conn:
            row = _row(conn, principal.username.lower())
        if row is None or row.kind != AccountKind.PASSWORD.value:
            return False
        return (
            row.status != ACTIVE
            or row.password_hash is None
            or row.role != principal.role.value
            or row.area_code != principal.area_code
        )

    def any_sign_in(self) -> bool:
        """Whether any password account could sign in (else the page says none is set up)."""
        if self.file_accounts:
            return True
        with self.engine.connect() as conn:
            return (
                conn.execute(
                    sa.select(accounts.c.id)
                    .where(
                        accounts.c.kind == AccountKind.PASSWORD.value,
                        accounts.c.status == ACTIVE,
                    )
                    .limit(1)
                ).first()
                is not None
            )

    def any_open_code(self) -> bool:
        """Whether a one-time code is waiting to be used (else the page offers no form for one)."""
        with self.engine.connect() as conn:
            return (
                conn.execute(
                    sa.select(account_codes.c.id)
                    .where(
                        account_codes.c.used_at.is_(None),
                        account_codes.c.expires_at > self._clock(),
                    )
                    .limit(1)
                ).first()
                is not None
            )

    # --- what administrators do --------------------------------------------------------------

    def add(
        self,
        actor: Principal | None,
        name: str,
        *,
        role: Role,
        area: str | None = None,
        kind: AccountKind = AccountKind.PASSWORD,
        via: str,
        code_lifetime: timedelta = CODE_LIFETIME,
    ) -> IssuedCode | None:
        """Add an account; for a password account, return its first one-time code."""
        _admin(actor)
        assert actor is not None
        key = _valid_name(name, kind)
        area_code = _valid_area(role, area)
        if key in self._file_names():
            raise AccountRefused(
                f"{key!r} is already an account in the secrets file",
                fix="Choose another name, or remove it from the secrets file first",
            )
        lifetime = _valid_lifetime(code_lifetime)
        now = self._clock()
        with writing(self.engine) as conn:
            if _row(conn, key) is not None:
                raise AccountRefused(
                    f"There is already an account {key!r}",
                    fix=f"See `landscape accounts list`; `landscape accounts reset {key}` issues "
                    "it a new code, `enable` restores a disabled one",
                )
            account_id = conn.execute(
                accounts.insert()
                .values(
                    name=key,
                    kind=kind.value,
                    role=role.value,
                    area_code=area_code,
                    password_hash=None,
                    status=ACTIVE,
                    created_by=actor.username,
                    created_at=now,
                    changed_at=now,
                )
                .returning(accounts.c.id)
            ).scalar_one()
            grant = Account(key, kind, role, area_code, FROM_DATABASE).may
            _log(conn, key, "added", actor.username, via, now, f"{kind.value} account: {grant}")
            if kind is AccountKind.EMAIL:
                return None
            return self._issue(conn, account_id, key, actor.username, via, now, lifetime)

    def reset(
        self,
        actor: Principal | None,
        name: str,
        *,
        via: str,
        code_lifetime: timedelta = CODE_LIFETIME,
    ) -> IssuedCode:
        """Clear a password account's password (ending its sessions) and issue a new code."""
        _admin(actor)
        assert actor is not None
        lifetime = _valid_lifetime(code_lifetime)
        now = self._clock()
        with writing(self.engine) as conn:
            row = self._database_row(conn, name)
            if row.kind != AccountKind.PASSWORD.value:
                raise AccountRefused(
                    f"{row.name} is an OpenID Connect email: it has no password to reset",
                    fix="Its password is kept by the identity provider",
                )
            conn.execute(
                accounts.update()
                .where(accounts.c.id == row.id)
                .values(password_hash=None, changed_at=now)
            )
            _log(conn, row.name, "reset", actor.username, via, now, "password cleared")
            return self._issue(conn, row.id, row.name, actor.username, via, now, lifetime)

    def disable(self, actor: Principal | None, name: str, *, via: str) -> Account:
        """Stop an account signing in (its sessions end at their next page); kept, with history."""
        _admin(actor)
        assert actor is not None
        if name.strip().lower() == actor.username.lower():
            raise AccountRefused(
                "You cannot disable the account you are signed in with",
                fix="Ask another APCC administrator",
            )
        return self._set_status(actor, name, DISABLED, via)

    def enable(self, actor: Principal | None, name: str, *, via: str) -> Account:
        _admin(actor)
        assert actor is not None
        return self._set_status(actor, name, ACTIVE, via)

    def list_accounts(self, actor: Principal | None) -> list[Account]:
        """Every account: the secrets file's first, then the database's, each by name."""
        _admin(actor)
        now = self._clock()
        listed = [
            Account(a.username, AccountKind.PASSWORD, Role(a.role), a.area, FROM_FILE)
            for a in sorted(self.file_accounts.values(), key=lambda a: a.username)
        ] + [
            Account(email, AccountKind.EMAIL, Role(g.role), g.area, FROM_FILE)
            for email, g in sorted(self.file_email_roles.items())
        ]
        with self.engine.connect() as conn:
            open_codes = dict(
                conn.execute(
                    sa.select(account_codes.c.account_id, sa.func.max(account_codes.c.expires_at))
                    .where(account_codes.c.used_at.is_(None), account_codes.c.expires_at > now)
                    .group_by(account_codes.c.account_id)
                ).all()
            )
            rows = conn.execute(sa.select(accounts).order_by(accounts.c.name)).all()
        return listed + [
            Account(
                name=row.name,
                kind=AccountKind(row.kind),
                role=Role(row.role),
                area_code=row.area_code,
                source=FROM_DATABASE,
                active=row.status == ACTIVE,
                has_password=row.password_hash is not None,
                code_expires_at=open_codes.get(row.id),
                created_by=row.created_by,
                created_at=row.created_at,
                changed_at=row.changed_at,
            )
            for row in rows
        ]

    def events(self, actor: Principal | None, name: str | None = None) -> list[AccountEvent]:
        """The audit trail, oldest first: of one account, or of all."""
        _admin(actor)
        query = sa.select(account_events).order_by(account_events.c.id)
        if name is not None:
            query = query.where(account_events.c.account == name.strip().lower())
        with self.engine.connect() as conn:
            return [
                AccountEvent(r.account, r.action, r.actor, r.via, r.at, r.detail)
                for r in conn.execute(query)
            ]

    # --- what the person does with their code --------------------------------------------------

    def set_password(self, name: str, code: str, password: str, *, via: str) -> Principal:
        """Set an account's password with its one-time code (the code is the credential, so
        nobody needs to be signed in); return the principal it now signs in as."""
        if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
            raise AccountRefused(
                f"The password must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters "
                "long",
                fix="Choose a longer one: a few unrelated words are easy to remember",
            )
        key = name.strip().lower()
        open_code = (
            sa.select(accounts, account_codes.c.id.label("code_id"))
            .join(account_codes, account_codes.c.account_id == accounts.c.id)
            .where(
                accounts.c.name == key,
                accounts.c.kind == AccountKind.PASSWORD.value,
                accounts.c.status == ACTIVE,
                account_codes.c.code_sha256 == code_digest(code),
                account_codes.c.used_at.is_(None),
                account_codes.c.expires_at > self._clock(),
            )
        )
        # The code is checked before the (costly) hash is made, so that a stream of wrong codes
        # costs the server a lookup each; codes are too many to guess, so timing tells nothing.
        with self.engine.connect() as conn:
            if conn.execute(open_code).one_or_none() is None:
                raise AccountRefused(CODE_NOT_RIGHT, fix=CODE_NOT_RIGHT_FIX)
        password_hash = self._hasher.hash(password)
        now = self._clock()
        with writing(self.engine) as conn:
            found = conn.execute(open_code).one_or_none()  # still open: not used meanwhile
            if found is None:
                raise AccountRefused(CODE_NOT_RIGHT, fix=CODE_NOT_RIGHT_FIX)
            conn.execute(
                account_codes.update()
                .where(account_codes.c.id == found.code_id)
                .values(used_at=now)
            )
            conn.execute(
                accounts.update()
                .where(accounts.c.id == found.id)
                .values(password_hash=password_hash, changed_at=now)
            )
            _log(conn, key, "password set", key, via, now, "with a one-time code")
        return Principal(key, Role(found.role), found.area_code)

    # --- inside ------------------------------------------------------------------------------

    def _issue(
        self,
        conn: sa.Connection,
        account_id: int,
        name: str,
        actor: str,
        via: str,
        now: datetime,
        lifetime: timedelta,
    ) -> IssuedCode:
        """A new one-time code for the account; any it had before stops working."""
        conn.execute(
            account_codes.delete().where(
                account_codes.c.account_id == account_id, account_codes.c.used_at.is_(None)
            )
        )
        code = new_code()
        expires = now + lifetime
        conn.execute(
            account_codes.insert().values(
                account_id=account_id,
                code_sha256=code_digest(code),
                issued_by=actor,
                issued_at=now,
                expires_at=expires,
            )
        )
        _log(
            conn, name, "code issued", actor, via, now, f"valid until {expires:%Y-%m-%d %H:%M} UTC"
        )
        return IssuedCode(name, code, expires)

    def _file_names(self) -> set[str]:
        return {n.lower() for n in self.file_accounts} | set(self.file_email_roles)

    def _database_row(self, conn: sa.Connection, name: str) -> sa.Row:
        key = name.strip().lower()
        row = _row(conn, key)
        if row is not None:
            return row
        if key in self._file_names():
            raise AccountRefused(
                f"{name.strip()!r} is defined in the secrets file, not the database",
                fix="Change it in the secrets file (or LANDSCAPE_ACCOUNTS / LANDSCAPE_EMAIL_ROLES)",
            )
        raise AccountRefused(
            f"There is no account {key!r}", fix="See `landscape accounts list` for their names"
        )

    def _set_status(self, actor: Principal, name: str, status: str, via: str) -> Account:
        now = self._clock()
        with writing(self.engine) as conn:
            row = self._database_row(conn, name)
            if row.status != status:
                conn.execute(
                    accounts.update()
                    .where(accounts.c.id == row.id)
                    .values(status=status, changed_at=now)
                )
                action = "disabled" if status == DISABLED else "enabled"
                _log(conn, row.name, action, actor.username, via, now, "")
        return next(
            a for a in self.list_accounts(actor) if a.name == row.name and a.source == FROM_DATABASE
        )


class _PasswordAccounts(Mapping[str, AccountConfig]):
    """The secrets file's password accounts and the database's, looked up at each sign-in."""

    def __init__(self, owner: Accounts) -> None:
        self._owner = owner

    def __getitem__(self, name: str) -> AccountConfig:
        found = self._owner.password_account(name)
        if found is None:
            raise KeyError(name)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def _names(self) -> list[str]:
        with self._owner.engine.connect() as conn:
            stored = conn.execute(
                sa.select(accounts.c.name).where(
                    accounts.c.kind == AccountKind.PASSWORD.value,
                    accounts.c.status == ACTIVE,
                    accounts.c.password_hash.is_not(None),
                )
            ).scalars()
            return sorted({*self._owner.file_accounts, *stored})


class _EmailRoles(Mapping[str, RoleGrant]):
    def __init__(self, owner: Accounts) -> None:
        self._owner = owner

    def __getitem__(self, email: str) -> RoleGrant:
        found = self._owner.email_grant(email)
        if found is None:
            raise KeyError(email)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._emails())

    def __len__(self) -> int:
        return len(self._emails())

    def _emails(self) -> list[str]:
        with self._owner.engine.connect() as conn:
            stored = conn.execute(
                sa.select(accounts.c.name).where(
                    accounts.c.kind == AccountKind.EMAIL.value, accounts.c.status == ACTIVE
                )
            ).scalars()
            return sorted({*self._owner.file_email_roles, *stored})


def identity_email(claims: Mapping[str, object]) -> str:
    """The email an OpenID Connect identity (its ID token's claims) may be mapped by: "" when
    there is none, or when the provider says it has not verified it (an unverified address can
    be anyone's)."""
    email = claims.get("email")
    if not isinstance(email, str) or claims.get("email_verified") is False:
        return ""
    return email.strip().lower()


def utc_text(at: datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M} UTC"


def new_code() -> str:
    symbols = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    return "-".join(symbols[i : i + 5] for i in range(0, _CODE_LENGTH, 5))


def code_digest(code: str) -> str:
    """What is stored of a code: SHA-256 of its symbols (case, spaces and dashes as typed do not
    matter). A code is 100 random bits, so a plain digest cannot be searched back."""
    symbols = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(symbols.encode()).hexdigest()


def _admin(actor: Principal | None) -> None:
    if actor is None or actor.role is not Role.ADMIN:
        raise AccessDenied("Only an APCC administrator may manage accounts")


def _valid_name(name: str, kind: AccountKind) -> str:
    key = name.strip().lower()
    if kind is AccountKind.EMAIL:
        if not _EMAIL.fullmatch(key) or len(key) > 254:
            raise AccountRefused(
                f"{name!r} is not an email address",
                fix="Give the address the identity provider signs people in with",
            )
        return key
    if not _USERNAME.fullmatch(key):
        raise AccountRefused(
            f"{name!r} cannot be a username",
            fix="Use 3 to 64 letters, digits, dots, dashes or underscores, e.g. cambs-opcc "
            "(for an OpenID Connect email, add --oidc)",
        )
    return key


def _valid_area(role: Role, area: str | None) -> str | None:
    if role is Role.ADMIN:
        if area:
            raise AccountRefused(
                "An APCC administrator is not bound to an area", fix="Leave out --area"
            )
        return None
    if not area:
        raise AccountRefused(
            "An area office needs its area", fix="Add --area with its name or ONS code"
        )
    match = match_area(area)
    if match.code is None:
        hint = f" (did you mean {', '.join(match.suggestions)}?)" if match.suggestions else ""
        raise AccountRefused(f"{area!r} is not a police force area{hint}")
    return match.code


def _valid_lifetime(lifetime: timedelta) -> timedelta:
    if not timedelta(minutes=5) <= lifetime <= MAX_CODE_LIFETIME:
        raise AccountRefused(
            "A one-time code is valid for 5 minutes to 14 days",
            fix="Give --valid-for in hours, at most 336",
        )
    return lifetime


def _row(conn: sa.Connection, key: str) -> sa.Row | None:
    return conn.execute(sa.select(accounts).where(accounts.c.name == key)).one_or_none()


def _log(
    conn: sa.Connection, account: str, action: str, actor: str, via: str, at: datetime, detail: str
) -> None:
    conn.execute(
        account_events.insert().values(
            account=account, action=action, actor=actor[:254], via=via[:200], at=at, detail=detail
        )
    )

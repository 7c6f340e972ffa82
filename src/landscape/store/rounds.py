"""Survey rounds: the APCC opens a round, each area office returns its answers, the APCC publishes.

A round is opened by an administrator with a label, the survey period, a deadline and the
questions of the current schema. Each area office downloads its return (pre-filled from the
latest published wave, `intake.returns`) and uploads it, as often as it likes: every upload is a
new version, never overwritten, seen only by that office and the administrators. The office
submits its latest version; an administrator accepts it (or reopens it for another version).

Nothing of a round is visible to readers: it lives in its own tables until `publish_round` makes
ONE new wave of it through `Store.publish` (validated, one transaction, sealed), with each
accepted return's rows and, for every area without an accepted return, a row saying it did not
respond: an answer from an earlier wave is never carried forward silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from landscape.areas import display_name, force_areas
from landscape.intake.returns import ReturnHeading, area_rows, prefilled_return_bytes
from landscape.intake.returns import return_filename as _return_filename
from landscape.intake.template import survey_workbook_bytes
from landscape.intake.uploads import cell_locator, read_upload
from landscape.model.diff import UploadPreview, preview_changes
from landscape.schema import AREAS, NOT_ANSWERS, PROGRAMMES, PROVENANCE, Provenance, ResponseStatus
from landscape.store.access import (
    AccessDenied,
    NotSignedIn,
    Principal,
    Role,
    UploadScope,
    check_upload,
    utc_now,
)
from landscape.store.corrections import apply_area_correction
from landscape.store.engine import writing
from landscape.store.errors import StoreBusy, StoreError
from landscape.store.records import WaveRecord, records_for
from landscape.store.round_seals import check_round_rows, sealed_values
from landscape.store.tables import round_events, round_returns, survey_rounds
from landscape.store.waves import (
    Store,
    only_administrators_publish,
    refuse_control_characters,
    sha256_hex,
)
from landscape.survey import Survey
from landscape.text import printable

OPEN = "open"
PUBLISHED = "published"


class ReturnStatus(StrEnum):
    NOT_STARTED = "not started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"


class Action(StrEnum):
    """What can happen to a return version after it is uploaded (each an event, never undone)."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REOPENED = "reopened"


_STATUS_AFTER = {
    Action.SUBMITTED: ReturnStatus.SUBMITTED,
    Action.ACCEPTED: ReturnStatus.ACCEPTED,
    Action.REOPENED: ReturnStatus.DRAFT,
}


def schema_questions() -> dict[str, list[str]]:
    """The questions of the current schema, per sheet: what a round asks."""
    return {
        sheet.name: [c.name for c in sheet.columns if c.name not in NOT_ANSWERS]
        for sheet in (AREAS, PROGRAMMES)
    }


@dataclass(frozen=True)
class Round:
    round_id: int
    label: str
    period: str
    deadline: dt.date
    survey_date: dt.date | None
    questions: dict[str, list[str]]
    opened_by: str
    opened_at: dt.datetime
    status: str
    wave_id: str | None
    published_by: str | None
    published_at: dt.datetime | None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def title(self) -> str:
        return f"{self.label} ({self.period}), due {self.deadline:%d %B %Y}"

    @property
    def question_count(self) -> int:
        return sum(len(names) for names in self.questions.values())


@dataclass(frozen=True)
class ReturnVersion:
    """One uploaded version of an area's return (never changed once stored)."""

    return_id: int
    round_id: int
    area_code: str
    version: int
    uploaded_by: str
    uploaded_at: dt.datetime
    filename: str
    sha256: str
    ignored: tuple[str, ...]
    """Other areas whose unchanged rows the upload carried (a whole workbook), ignored."""

    @property
    def area(self) -> str:
        return display_name(self.area_code)


@dataclass(frozen=True)
class TrackerRow:
    """One area in the returns tracker."""

    area_code: str
    status: ReturnStatus
    version: int | None = None
    uploaded_by: str | None = None
    uploaded_at: dt.datetime | None = None
    status_by: str | None = None
    """Who submitted or accepted it (for a draft: who uploaded it)."""
    status_at: dt.datetime | None = None

    @property
    def area(self) -> str:
        return display_name(self.area_code)

    @property
    def outstanding(self) -> bool:
        """Still to chase: nothing submitted yet."""
        return self.status in (ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT)


@dataclass(frozen=True)
class PreparedReturn:
    """A validated, permitted return, and what it would change in the latest published wave."""

    round: Round
    area_code: str
    filename: str
    sha256: str
    returned: Survey
    """The area's own rows: what the return stores."""
    scope: UploadScope
    base: Survey | None
    """The latest published wave (what the return was pre-filled from), None before any."""
    base_title: str | None

    @property
    def after(self) -> Survey:
        """The published wave with this area's rows replaced by the return's."""
        if self.base is None:
            return self.returned
        return apply_area_correction(self.base, self.returned, self.area_code)

    def preview(self) -> UploadPreview:
        return preview_changes(self.base, self.after)


@dataclass(frozen=True)
class UnpublishedReturn:
    """An area's latest return in the open round: what its office has sent and the APCC has not
    published (a draft, or submitted or accepted and waiting for the round to be published)."""

    round: Round
    version: ReturnVersion
    status: ReturnStatus
    returned: Survey
    """The area's own rows, as stored with the version."""


@dataclass(frozen=True)
class RoundPublished:
    round: Round
    wave: WaveRecord
    created: bool
    did_not_respond: tuple[str, ...]

    @property
    def message(self) -> str:
        n = len(self.did_not_respond)
        quiet = (
            f"; {n} {'area' if n == 1 else 'areas'} recorded as did not respond: "
            + ", ".join(display_name(c) for c in self.did_not_respond)
            if n
            else ""
        )
        verb = "Published" if self.created else "Already published"
        return f"{verb} {self.round.label} as wave {self.wave.wave_id}{quiet}."


class Rounds:
    """The rounds of one store: every call names the signed-in principal it acts for."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    # --- rounds ------------------------------------------------------------------------------

    def open_round(
        self,
        principal: Principal | None,
        *,
        label: str,
        period: str,
        deadline: dt.date,
        survey_date: dt.date | None = None,
    ) -> Round:
        """Open a round asking the current schema's questions (administrators; one at a time)."""
        _admin(principal, "open a survey round")
        assert principal is not None
        for name, text in (("label", label), ("survey period", period)):
            refuse_control_characters(f"The round's {name}", text)
        label, period = " ".join(label.split()), " ".join(period.split())
        if not label or not period:
            raise StoreError(
                "Give the round a label and a survey period",
                fix="For example 'APCC 2026 survey' and 'April 2025 to March 2026'",
            )
        with writing(self.engine) as conn:
            already = conn.execute(
                sa.select(survey_rounds.c.label).where(survey_rounds.c.status == OPEN)
            ).scalar_one_or_none()
            if already is not None:
                raise StoreError(
                    f"The round {already!r} is still open",
                    fix="Publish it before opening another",
                )
            row = sealed_values(
                conn,
                survey_rounds,
                {
                    "label": label[:200],
                    "period": period[:100],
                    "deadline": deadline,
                    "survey_date": survey_date,
                    "questions": schema_questions(),
                    "opened_by": principal.username[:200],
                    "opened_at": utc_now(),
                },
            )
            conn.execute(survey_rounds.insert().values(**row, status=OPEN))
        return self.round(principal, int(row["id"]))

    def rounds(self, principal: Principal | None) -> list[Round]:
        """Every round, newest first (for signed-in offices and administrators only)."""
        _signed_in(principal)
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(survey_rounds).order_by(survey_rounds.c.id.desc())
            ).mappings()
            return [_round(row) for row in rows]

    def round(self, principal: Principal | None, round_id: int) -> Round:
        for found in self.rounds(principal):
            if found.round_id == int(round_id):
                return found
        raise StoreError(f"There is no survey round {round_id}")

    def current_round(self, principal: Principal | None) -> Round | None:
        """The open round, else the latest one; None when there has been none."""
        rounds = self.rounds(principal)
        return next((r for r in rounds if r.is_open), rounds[0] if rounds else None)

    # --- returns -----------------------------------------------------------------------------

    def prefilled_return(
        self, principal: Principal | None, round_id: int, area_code: str | None = None
    ) -> tuple[str, bytes]:
        """(filename, bytes) of the area's return, pre-filled from the latest published wave."""
        round_ = self.round(principal, round_id)
        area = _area_for(principal, area_code)
        current = self.store.current_wave()
        published = self.store.load_survey(current.wave_id) if current else None
        # a label stored before labels were checked may hold a control character, which no
        # workbook cell can: the return shows it as its escape rather than failing
        heading = ReturnHeading(printable(round_.label), printable(round_.period), round_.deadline)
        return (
            _return_filename(area, round_.label),
            prefilled_return_bytes(published, area, heading),
        )

    def prepare_return(
        self,
        principal: Principal | None,
        round_id: int,
        data: bytes,
        filename: str,
        area_code: str | None = None,
    ) -> PreparedReturn:
        """Validate a return and check it changes only its own area (raises, stores nothing).

        A whole workbook is accepted when the rows of other areas are those of the latest
        published wave: they are ignored, and `scope` says so."""
        round_ = self.round(principal, round_id)
        area = _area_for(principal, area_code)
        _check_questions(round_)
        uploaded = read_upload(data, filename)
        current = self.store.current_wave()
        base = self.store.load_survey(current.wave_id) if current else None
        office = Principal(principal.username if principal else "", Role.AREA, area)
        try:
            scope = check_upload(office, uploaded, base=base)
        except AccessDenied as denied:
            if not denied.problems:
                raise
            # Refused: read the file again to name each refused row by the cell the user sees.
            check_upload(office, uploaded, cell_locator(data, filename), base=base)
            raise
        return PreparedReturn(
            round=round_,
            area_code=area,
            filename=filename,
            sha256=sha256_hex(data),
            returned=_own_rows(uploaded, area),
            scope=scope,
            base=base,
            base_title=current.title if current else None,
        )

    def upload_return(
        self,
        principal: Principal | None,
        round_id: int,
        data: bytes,
        filename: str,
        area_code: str | None = None,
    ) -> ReturnVersion:
        """Store a return as the area's next draft version (the same file twice: one version)."""
        prepared = self.prepare_return(principal, round_id, data, filename, area_code)
        assert principal is not None
        area = prepared.area_code
        try:
            with writing(self.engine) as conn:
                _refuse_unless_open(conn, round_id)
                versions = _versions(conn, round_id, area)
                if versions and versions[-1].sha256 == prepared.sha256:
                    return versions[-1]
                if versions and _status(conn, versions[-1]) is ReturnStatus.ACCEPTED:
                    raise StoreError(
                        f"{display_name(area)}'s return was accepted",
                        fix="Ask the APCC administrator to reopen it before uploading again",
                    )
                records = records_for(prepared.returned)
                row = sealed_values(
                    conn,
                    round_returns,
                    {
                        "round_id": round_id,
                        "area_code": area,
                        "version": (versions[-1].version + 1) if versions else 1,
                        "uploaded_by": principal.username[:200],
                        "uploaded_at": utc_now(),
                        "filename": filename[:255],
                        "sha256": prepared.sha256,
                        "content": data,
                        "records": {name: list(rows) for name, rows in records.items()},
                        "ignored": list(prepared.scope.ignored),
                    },
                )
                conn.execute(round_returns.insert().values(**row))
                return _versions(conn, round_id, area)[-1]
        except sa.exc.IntegrityError as error:
            raise StoreBusy(
                "another version of this return was uploaded at the same time"
            ) from error

    def submit_return(
        self, principal: Principal | None, round_id: int, area_code: str | None = None
    ) -> ReturnVersion:
        """Submit the area's latest version to the APCC."""
        return self._act(principal, round_id, _area_for(principal, area_code), Action.SUBMITTED)

    def accept_return(
        self, principal: Principal | None, round_id: int, area_code: str
    ) -> ReturnVersion:
        """Accept an area's submitted return into the round (administrators)."""
        _admin(principal, "accept a return")
        return self._act(principal, round_id, area_code, Action.ACCEPTED)

    def reopen_return(
        self, principal: Principal | None, round_id: int, area_code: str
    ) -> ReturnVersion:
        """Send a submitted or accepted return back to draft (administrators)."""
        _admin(principal, "reopen a return")
        return self._act(principal, round_id, area_code, Action.REOPENED)

    def _act(
        self, principal: Principal | None, round_id: int, area_code: str, action: Action
    ) -> ReturnVersion:
        assert principal is not None
        self.round(principal, round_id)
        allowed_from = {
            Action.SUBMITTED: (ReturnStatus.DRAFT,),
            Action.ACCEPTED: (ReturnStatus.SUBMITTED,),
            Action.REOPENED: (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED),
        }[action]
        with writing(self.engine) as conn:
            _refuse_unless_open(conn, round_id)
            versions = _versions(conn, round_id, area_code)
            if not versions:
                raise StoreError(f"{display_name(area_code)} has not uploaded a return yet")
            latest = versions[-1]
            status = _status(conn, latest)
            if status not in allowed_from:
                raise StoreError(
                    f"{display_name(area_code)}'s return is {status}: it cannot be {action} now"
                )
            event = {
                "return_id": latest.return_id,
                "action": str(action),
                "actor": principal.username[:200],
                "at": utc_now(),
            }
            conn.execute(round_events.insert().values(**sealed_values(conn, round_events, event)))
        return latest

    def returns(
        self, principal: Principal | None, round_id: int, area_code: str | None = None
    ) -> list[ReturnVersion]:
        """Every version visible to `principal`: an office sees only its own area's."""
        _signed_in(principal)
        assert principal is not None
        if principal.role is Role.AREA:
            area_code = principal.area_code
        with self.engine.connect() as conn:
            query = sa.select(*_VERSION_COLUMNS).where(round_returns.c.round_id == round_id)
            if area_code is not None:
                query = query.where(round_returns.c.area_code == area_code)
            rows = conn.execute(query.order_by(round_returns.c.id)).mappings()
            return [_version(row) for row in rows]

    def return_file(self, principal: Principal | None, return_id: int) -> tuple[str, bytes]:
        """A stored version's file as uploaded, for its own office and administrators only."""
        _signed_in(principal)
        assert principal is not None
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(
                    round_returns.c.filename, round_returns.c.content, round_returns.c.area_code
                ).where(round_returns.c.id == return_id)
            ).one_or_none()
        if row is None or (principal.role is Role.AREA and row[2] != principal.area_code):
            raise StoreError(f"There is no return {return_id} you may see")
        return str(row[0]), bytes(row[1])

    def unpublished_return(
        self, principal: Principal | None, area_code: str
    ) -> UnpublishedReturn | None:
        """The area's latest return in the open round, for its own office and administrators;
        None for anyone else (a reader, another area's office), and when there is no open round
        or the area has returned nothing in it. Whatever its status, it is not published."""
        if principal is None or (principal.role is Role.AREA and principal.area_code != area_code):
            return None
        with self.engine.connect() as conn:
            row = (
                conn.execute(sa.select(survey_rounds).where(survey_rounds.c.status == OPEN))
                .mappings()
                .one_or_none()
            )
            if row is None:
                return None
            round_ = _round(row)
            versions = _versions(conn, round_.round_id, area_code)
            if not versions:
                return None
            latest = versions[-1]
            status = _status(conn, latest)
            records = conn.execute(
                sa.select(round_returns.c.records).where(round_returns.c.id == latest.return_id)
            ).scalar_one()
        returned = Survey.from_records(
            records[AREAS.name], records[PROGRAMMES.name], records.get(PROVENANCE.name, [])
        )
        return UnpublishedReturn(round_, latest, status, returned)

    # --- tracking ----------------------------------------------------------------------------

    def tracker(self, principal: Principal | None, round_id: int) -> list[TrackerRow]:
        """Per area, in the reference order: not started / draft / submitted / accepted, with the
        time and uploader. An office sees only its own area's row."""
        _signed_in(principal)
        assert principal is not None
        self.round(principal, round_id)
        codes = [a.code for a in force_areas()]
        if principal.role is Role.AREA:
            codes = [str(principal.area_code)]
        with self.engine.connect() as conn:
            return [_tracker_row(conn, round_id, code) for code in codes]

    def outstanding(self, principal: Principal | None, round_id: int) -> list[TrackerRow]:
        """The areas still to chase (nothing submitted), for administrators."""
        _admin(principal, "see the outstanding returns")
        return [row for row in self.tracker(principal, round_id) if row.outstanding]

    # --- publishing --------------------------------------------------------------------------

    def publish_round(self, principal: Principal | None, round_id: int) -> RoundPublished:
        """Publish the round as one new wave: accepted returns, and "did not respond" for every
        other area. Refused while a submitted return awaits a decision.

        Which returns are accepted is read, the wave stored and the round closed in ONE write
        transaction, the lock every accept and reopen takes too: the wave holds exactly the
        returns accepted at that moment, and a reopen or accept after it finds the round closed."""
        only_administrators_publish(principal)
        assert principal is not None
        round_ = self.round(principal, round_id)
        if not round_.is_open:
            raise StoreError(f"{round_.label} was already published as wave {round_.wave_id}")
        _check_questions(round_)
        try:
            with writing(self.engine) as conn:
                _refuse_unless_open(conn, round_id)
                tampered = check_round_rows(conn)
                if tampered:
                    raise StoreError(
                        "The round's stored rows do not verify, so it was not published: "
                        + "; ".join(tampered[:3]),
                        fix="Nothing was published. Run `landscape verify`, and restore a "
                        "backup that verifies",
                    )
                tracker = [_tracker_row(conn, round_id, a.code) for a in force_areas()]
                waiting = [row.area for row in tracker if row.status is ReturnStatus.SUBMITTED]
                if waiting:
                    raise StoreError(
                        "These returns are submitted and wait for a decision: "
                        + ", ".join(waiting),
                        fix="Accept or reopen each before publishing the round",
                    )
                survey, silent = _round_survey(conn, round_id, tracker)
                data = survey_workbook_bytes(survey)
                filename = f"round-{round_id}.xlsx"
                wave_id, created = self.store.publish_within(
                    conn,
                    read_upload(data, filename),
                    data=data,
                    filename=filename,
                    principal=principal,
                    label=round_.label,
                    survey_date=round_.survey_date,
                )
                conn.execute(
                    survey_rounds.update()
                    .where(survey_rounds.c.id == round_id, survey_rounds.c.status == OPEN)
                    .values(
                        status=PUBLISHED,
                        wave_id=wave_id,
                        published_by=principal.username[:200],
                        published_at=utc_now(),
                    )
                )
        except sa.exc.IntegrityError as error:
            raise StoreBusy("another wave was published at the same time") from error
        return RoundPublished(
            self.round(principal, round_id),
            self.store.wave(str(wave_id)),
            created,
            tuple(silent),
        )


def _round_survey(
    conn: sa.Connection, round_id: int, tracker: Sequence[TrackerRow]
) -> tuple[Survey, list[str]]:
    """The round as one survey. Every row an office returned is its own answer: Reported,
    whatever the wave its return was prefilled from said of the row (an illustrative wave's
    rows stay illustrative only there); each value the return's Provenance sheet names keeps
    its entry (e.g. Sourced, with its document and section)."""
    accepted = {row.area_code for row in tracker if row.status is ReturnStatus.ACCEPTED}
    areas: list[dict[str, Any]] = []
    programmes: list[dict[str, Any]] = []
    provenance: list[dict[str, Any]] = []
    silent: list[str] = []
    reported = {"provenance": str(Provenance.REPORTED)}
    for row in tracker:
        if row.area_code not in accepted:
            silent.append(row.area_code)
            areas.append(
                {
                    "area_code": row.area_code,
                    "response_status": str(ResponseStatus.DID_NOT_RESPOND),
                }
            )
            continue
        records = conn.execute(
            sa.select(round_returns.c.records).where(
                round_returns.c.round_id == round_id,
                round_returns.c.area_code == row.area_code,
                round_returns.c.version == row.version,
            )
        ).scalar_one()
        areas += [dict(r, **reported) for r in records[AREAS.name]]
        programmes += [dict(r, **reported) for r in records[PROGRAMMES.name]]
        # returns stored before they kept their Provenance rows hold none
        provenance += records.get(PROVENANCE.name, [])
    return Survey.from_records(areas, programmes, provenance), silent


def _own_rows(uploaded: Survey, area_code: str) -> Survey:
    """The area's rows of a return (intake.returns.area_rows) with the Provenance sheet rows
    that name the area's own values: what the return says of where each value comes from."""
    own = area_rows(uploaded, area_code)
    cited = uploaded.provenance[uploaded.provenance["area_code"] == area_code]
    return Survey(own.areas, own.programmes, cited.reset_index(drop=True))


def outstanding_csv(rows: list[TrackerRow]) -> str:
    """The outstanding areas as CSV: who to chase, and how far they got."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["area", "ons_code", "status", "last_upload", "uploaded_by"])
    for row in rows:
        writer.writerow(
            [
                display_name(row.area_code),
                row.area_code,
                str(row.status),
                f"{row.uploaded_at:%Y-%m-%d %H:%M} UTC" if row.uploaded_at else "",
                row.uploaded_by or "",
            ]
        )
    return out.getvalue()


# --- helpers ---------------------------------------------------------------------------------

_VERSION_COLUMNS = (
    round_returns.c.id,
    round_returns.c.round_id,
    round_returns.c.area_code,
    round_returns.c.version,
    round_returns.c.uploaded_by,
    round_returns.c.uploaded_at,
    round_returns.c.filename,
    round_returns.c.sha256,
    round_returns.c.ignored,
)


def _signed_in(principal: Principal | None) -> None:
    if principal is None:
        raise NotSignedIn()


def _admin(principal: Principal | None, what: str) -> None:
    _signed_in(principal)
    assert principal is not None
    if principal.role is not Role.ADMIN:
        raise AccessDenied(f"Only an APCC administrator may {what}")


def _area_for(principal: Principal | None, area_code: str | None) -> str:
    """The area a return is for: an office's own (whatever it asks), or the one an admin names."""
    _signed_in(principal)
    assert principal is not None
    if principal.role is Role.AREA:
        if area_code is not None and area_code != principal.area_code:
            raise AccessDenied(
                f"Your account returns only {display_name(str(principal.area_code))}'s answers"
            )
        return str(principal.area_code)
    if area_code is None:
        raise StoreError("Name the area whose return this is")
    if area_code not in {a.code for a in force_areas()}:
        raise StoreError(f"{area_code!r} is not the ONS code of a police force area")
    return area_code


def _check_questions(round_: Round) -> None:
    if round_.questions != schema_questions():
        raise StoreError(
            f"The survey's questions have changed since {round_.label} was opened",
            fix="Publish or close this round with the software it was opened with",
        )


def _refuse_unless_open(conn: sa.Connection, round_id: int) -> None:
    status = conn.execute(
        sa.select(survey_rounds.c.status).where(survey_rounds.c.id == round_id)
    ).scalar_one_or_none()
    if status != OPEN:
        raise StoreError("This round is closed: it was published", fix="Wait for the next round")


def _round(row: Any) -> Round:
    return Round(
        round_id=int(row["id"]),
        label=row["label"],
        period=row["period"],
        deadline=row["deadline"],
        survey_date=row["survey_date"],
        questions={str(k): list(v) for k, v in row["questions"].items()},
        opened_by=row["opened_by"],
        opened_at=row["opened_at"],
        status=row["status"],
        wave_id=str(row["wave_id"]) if row["wave_id"] is not None else None,
        published_by=row["published_by"],
        published_at=row["published_at"],
    )


def _version(row: Any) -> ReturnVersion:
    return ReturnVersion(
        return_id=int(row["id"]),
        round_id=int(row["round_id"]),
        area_code=row["area_code"],
        version=int(row["version"]),
        uploaded_by=row["uploaded_by"],
        uploaded_at=row["uploaded_at"],
        filename=row["filename"],
        sha256=row["sha256"],
        ignored=tuple(row["ignored"]),
    )


def _versions(conn: sa.Connection, round_id: int, area_code: str) -> list[ReturnVersion]:
    rows = conn.execute(
        sa.select(*_VERSION_COLUMNS)
        .where(round_returns.c.round_id == round_id, round_returns.c.area_code == area_code)
        .order_by(round_returns.c.version)
    ).mappings()
    return [_version(row) for row in rows]


def _last_event(conn: sa.Connection, version: ReturnVersion) -> Any:
    return (
        conn.execute(
            sa.select(round_events)
            .where(round_events.c.return_id == version.return_id)
            .order_by(round_events.c.id.desc())
            .limit(1)
        )
        .mappings()
        .one_or_none()
    )


def _status(conn: sa.Connection, version: ReturnVersion) -> ReturnStatus:
    event = _last_event(conn, version)
    return ReturnStatus.DRAFT if event is None else _STATUS_AFTER[Action(event["action"])]


def _tracker_row(conn: sa.Connection, round_id: int, area_code: str) -> TrackerRow:
    versions = _versions(conn, round_id, area_code)
    if not versions:
        return TrackerRow(area_code, ReturnStatus.NOT_STARTED)
    latest = versions[-1]
    event = _last_event(conn, latest)
    return TrackerRow(
        area_code=area_code,
        status=ReturnStatus.DRAFT if event is None else _STATUS_AFTER[Action(event["action"])],
        version=latest.version,
        uploaded_by=latest.uploaded_by,
        uploaded_at=latest.uploaded_at,
        status_by=event["actor"] if event is not None else latest.uploaded_by,
        status_at=event["at"] if event is not None else latest.uploaded_at,
    )

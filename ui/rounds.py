"""The Upload page's survey round, typed: the domain calls the page makes, and the tables it shows.

Every call goes to `landscape.store.rounds.Rounds` over the process's one store, with the signed-in
principal, so the rules (who sees which drafts, who may publish) hold whatever the page shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from landscape.model import profile
from landscape.model.diff import UploadPreview
from landscape.store.access import Principal
from landscape.store.rounds import (
    PreparedReturn,
    ReturnVersion,
    Round,
    RoundPublished,
    Rounds,
    TrackerRow,
    UnpublishedReturn,
    outstanding_csv,
)
from ui import data
from ui.store import store

OFFICES_GUIDE = Path(__file__).resolve().parents[1] / "docs" / "offices.md"
TRACKER_COLUMNS = [
    "area",
    "status",
    "version",
    "uploaded by",
    "uploaded at (UTC)",
    "by",
    "at (UTC)",
]
VERSION_COLUMNS = ["version", "file", "uploaded by", "uploaded at (UTC)", "other areas ignored"]


def rounds() -> Rounds:
    return Rounds(store())


def current_round(principal: Principal) -> Round | None:
    return rounds().current_round(principal)


def open_round(
    principal: Principal,
    *,
    label: str,
    period: str,
    deadline: dt.date,
    survey_date: dt.date | None,
) -> Round:
    return rounds().open_round(
        principal, label=label, period=period, deadline=deadline, survey_date=survey_date
    )


def prefilled_return(principal: Principal, round_: Round) -> tuple[str, bytes]:
    return rounds().prefilled_return(principal, round_.round_id)


def prepare_return(
    principal: Principal, round_: Round, data: bytes, filename: str
) -> PreparedReturn:
    return rounds().prepare_return(principal, round_.round_id, data, filename)


def save_return(principal: Principal, round_: Round, data: bytes, filename: str) -> ReturnVersion:
    return rounds().upload_return(principal, round_.round_id, data, filename)


def submit_return(principal: Principal, round_: Round) -> ReturnVersion:
    return rounds().submit_return(principal, round_.round_id)


def accept_return(principal: Principal, round_: Round, area_code: str) -> ReturnVersion:
    return rounds().accept_return(principal, round_.round_id, area_code)


def reopen_return(principal: Principal, round_: Round, area_code: str) -> ReturnVersion:
    return rounds().reopen_return(principal, round_.round_id, area_code)


def publish_round(principal: Principal, round_: Round) -> RoundPublished:
    return rounds().publish_round(principal, round_.round_id)


def own_status(principal: Principal, round_: Round) -> TrackerRow:
    """An office's own row of the tracker."""
    return rounds().tracker(principal, round_.round_id)[0]


def tracker(principal: Principal, round_: Round) -> list[TrackerRow]:
    return rounds().tracker(principal, round_.round_id)


def tracker_table(rows: list[TrackerRow]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "area": row.area,
                "status": str(row.status),
                "version": row.version,
                "uploaded by": row.uploaded_by or "",
                "uploaded at (UTC)": _when(row.uploaded_at),
                "by": row.status_by or "",
                "at (UTC)": _when(row.status_at),
            }
            for row in rows
        ],
        columns=TRACKER_COLUMNS,
    )


def tracker_summary(rows: list[TrackerRow]) -> str:
    """ "12 accepted, 3 submitted, 5 draft, 23 not started" (statuses with none left out)."""
    order = ["accepted", "submitted", "draft", "not started"]
    counts = {status: 0 for status in order}
    for row in rows:
        counts[str(row.status)] += 1
    return ", ".join(f"{n} {status}" for status, n in counts.items() if n)


def awaiting_decision(rows: list[TrackerRow]) -> dict[str, str]:
    """Submitted returns, area code -> name, for the accept / reopen choice."""
    return {row.area_code: row.area for row in rows if str(row.status) == "submitted"}


def decided(rows: list[TrackerRow]) -> dict[str, str]:
    """Submitted or accepted returns, area code -> name, for reopening."""
    return {row.area_code: row.area for row in rows if str(row.status) in ("submitted", "accepted")}


def outstanding_csv_bytes(principal: Principal, round_: Round) -> bytes:
    return outstanding_csv(rounds().outstanding(principal, round_.round_id)).encode("utf-8")


def versions_table(principal: Principal, round_: Round) -> pd.DataFrame:
    """The versions the principal may see (an office: its own), oldest first."""
    return pd.DataFrame(
        [
            {
                "version": v.version,
                "file": v.filename,
                "uploaded by": v.uploaded_by,
                "uploaded at (UTC)": _when(v.uploaded_at),
                "other areas ignored": len(v.ignored),
            }
            for v in rounds().returns(principal, round_.round_id)
        ],
        columns=VERSION_COLUMNS,
    )


@dataclass(frozen=True)
class OwnReturn:
    """What the area profile shows a signed-in office (or an administrator) of the area's latest
    return in the open round: never cached, so it is asked for each principal afresh."""

    found: UnpublishedReturn
    answers: profile.UnpublishedAnswers
    compared_with: str
    """The label of the published wave the return is set beside (the store's current wave)."""

    @property
    def summary(self) -> str:
        v = self.found.version
        changed = self.answers.changed
        return (
            f"{v.area}'s return in {self.found.round.title}: version {v.version}, "
            f"{self.found.status}, uploaded by {v.uploaded_by} on {_when(v.uploaded_at)} UTC. "
            f"It changes {changed} {'answer' if changed == 1 else 'answers'} of the published "
            f"wave {self.compared_with} and lists {self.answers.returned_programmes} "
            f"programmes ({self.answers.published_programmes} published). Not published: only "
            f"{v.area}'s office and APCC administrators see it, and no figure counts it."
        )


def own_return(principal: Principal | None, area_code: str) -> OwnReturn | None:
    """The area's unpublished return beside its published answers, for the area's own office
    and administrators (Rounds.unpublished_return decides); None for anyone else."""
    found = rounds().unpublished_return(principal, area_code)
    if found is None:
        return None
    wave_id = data.latest_wave_id()
    return OwnReturn(
        found,
        profile.unpublished_answers(data.model(wave_id), area_code, found.returned),
        data.wave_by_id(wave_id).label,
    )


def changes_table(preview: UploadPreview) -> pd.DataFrame:
    """The change itself: each changed value, old beside new."""
    return preview.changes_table()


def figures_table(preview: UploadPreview) -> pd.DataFrame:
    """The figures that move, with old and new numerator and denominator."""
    return preview.figures_table()


@dataclass(frozen=True)
class Guide:
    """A Markdown guide split into its title (the first `# ` heading) and the rest."""

    title: str
    body: str


def offices_guide() -> Guide | None:
    """docs/offices.md, the guide for area offices (None where the checkout's docs are absent)."""
    try:
        text = OFFICES_GUIDE.read_text(encoding="utf-8")
    except OSError:
        return None
    first, _, rest = text.lstrip().partition("\n")
    if not first.startswith("# "):
        return Guide("Guide for area offices", text)
    return Guide(first[2:].strip(), rest.strip())


def _when(at: dt.datetime | None) -> str:
    return f"{at:%Y-%m-%d %H:%M}" if at else ""

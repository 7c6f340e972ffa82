"""The waves users publish besides the bundled one, built from it in code (issue 18):

- REPORTED: every row an area's own answer, no Provenance sheet;
- MIXED: reported rows with some values marked Illustrative on the Provenance sheet;
- SOURCED_ROWS: every row marked Sourced but no Provenance sheet (no value cites a document);
- CORRECTION: the bundled wave with two areas' co-commissioning answers corrected by them;
- SECOND_CORRECTION: that correction with one more area's answer corrected.

`publish_every_kind` stores all five in a store seeded with the bundled wave, as an administrator
would (the corrections through `corrects`), and names each wave's id.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from landscape.intake.template import survey_workbook_bytes
from landscape.schema import AREAS, PROGRAMMES
from landscape.store.waves import Store
from landscape.survey import Survey, empty_provenance, typed_frame
from tests.store_support import ADMIN, read_bundled_survey

REPORTED, MIXED, SOURCED_ROWS, CORRECTION, SECOND_CORRECTION = (
    "reported",
    "mixed",
    "sourced-rows",
    "correction",
    "second-correction",
)
KINDS = (REPORTED, MIXED, SOURCED_ROWS, CORRECTION, SECOND_CORRECTION)
MIXED_ILLUSTRATIVE_AREAS = 5
"""How many areas' funding_sources answers the MIXED wave marks Illustrative."""


def _rows_marked(survey: Survey, provenance: str) -> Survey:
    return Survey(
        survey.areas.assign(provenance=provenance, source=None),
        survey.programmes.assign(provenance=provenance, source=None),
        empty_provenance(),
    )


def reported_survey() -> Survey:
    return _rows_marked(read_bundled_survey(), "Reported")


def mixed_survey() -> Survey:
    """Reported rows; a few areas' funding sources and every programme's budget invented."""
    reported = reported_survey()
    answered = reported.areas[reported.areas["funding_sources"].map(bool)]
    entries = [
        {
            "area_code": code,
            "sheet": AREAS.name,
            "programme_name": None,
            "column": "funding_sources",
            "provenance": "Illustrative",
        }
        for code in answered["area_code"].head(MIXED_ILLUSTRATIVE_AREAS)
    ]
    budgeted = reported.programmes[reported.programmes["annual_budget_gbp"].notna()]
    entries += [
        {
            "area_code": row.area_code,
            "sheet": PROGRAMMES.name,
            "programme_name": row.programme_name,
            "column": "annual_budget_gbp",
            "provenance": "Illustrative",
        }
        for row in budgeted.itertuples(index=False)
    ]
    return Survey(reported.areas, reported.programmes, _provenance(entries))


def sourced_rows_survey() -> Survey:
    return _rows_marked(read_bundled_survey(), "Sourced")


def corrected_survey(base: Survey, areas: int) -> Survey:
    """`base` with the first `areas` co-commissioning areas now answering No, each such value
    marked Reported (an office's own correction)."""
    table = base.areas.copy()
    chosen = table.index[table["co_commissions"] == "Yes"][:areas]
    table.loc[chosen, "co_commissions"] = "No"
    table["co_commissioning_partners"] = [
        () if i in chosen else v
        for i, v in zip(table.index, table["co_commissioning_partners"], strict=True)
    ]
    reported = [
        {
            "area_code": table.at[i, "area_code"],
            "sheet": AREAS.name,
            "programme_name": None,
            "column": column,
            "provenance": "Reported",
        }
        for i in chosen
        for column in ("co_commissions", "co_commissioning_partners")
    ]
    kept = base.provenance[
        ~(
            base.provenance["area_code"].isin(table.loc[chosen, "area_code"])
            & base.provenance["column"].isin(["co_commissions", "co_commissioning_partners"])
        )
    ]
    provenance = pd.concat([kept, _provenance(reported)], ignore_index=True)
    return Survey(table, base.programmes, provenance)


def _provenance(entries: list[dict[str, object]]) -> pd.DataFrame:
    from landscape.schema import PROVENANCE

    return typed_frame(PROVENANCE, entries)


@dataclass(frozen=True)
class StoredKinds:
    seed: str
    ids: dict[str, str]


def publish_every_kind(store: Store) -> StoredKinds:
    """The five waves above, published into `store` (seeded with the bundled wave if empty)."""
    store.seed_bundled_wave()
    seed = store.list_waves()[0].wave_id
    ids: dict[str, str] = {}
    for kind, survey in (
        (REPORTED, reported_survey()),
        (MIXED, mixed_survey()),
        (SOURCED_ROWS, sourced_rows_survey()),
    ):
        result = store.publish(
            survey_workbook_bytes(survey), f"{kind}.xlsx", principal=ADMIN, label=f"{kind} wave"
        )
        ids[kind] = result.wave.wave_id
    corrects = seed
    for kind, areas, label in (
        (CORRECTION, 1, "APCC 2025 survey, corrected"),
        (SECOND_CORRECTION, 2, "APCC 2025 survey, corrected again"),
    ):
        survey = corrected_survey(read_bundled_survey(), areas)
        ids[kind] = corrects = store.publish(
            survey_workbook_bytes(survey),
            f"{kind}.xlsx",
            principal=ADMIN,
            label=label,
            corrects=corrects,
        ).wave.wave_id
    return StoredKinds(seed, ids)

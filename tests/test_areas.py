"""The force-area reference and name matching."""

import pytest

from landscape.areas import force_area_table, force_areas, match_area, normalise_name

REPORT_ALIASES = {
    "Avon & Somerset": "E23000036",
    "MOPAC": "E23000001",
    "Met": "E23000001",
    "Hampshire and Isle of Wight": "E23000030",
    "Dyfed Powys": "W15000004",
    "Devon and Cornwall": "E23000035",
    "London, City of": "E23000034",
    "GMCA": "E23000005",
    "West Yorkshire Combined Authority": "E23000010",
    "Mayor's Office for Policing and Crime (MOPAC)": "E23000001",
    "Cumbria PFCC": "E23000002",
    "essex pfcc": "E23000028",
    "  SOUTH-WALES  ": "W15000003",
}


def test_there_are_43_areas_with_the_ons_codes():
    codes = [a.code for a in force_areas()]
    assert codes == [f"E23{n:06d}" for n in range(1, 40)] + [f"W15{n:06d}" for n in range(1, 5)]


def test_countries_and_governing_bodies_are_declared():
    table = force_area_table()
    assert (table["country"] == "Wales").sum() == 4
    assert table.loc["E23000034", "governing_body_type"] == "None"
    assert table.loc["E23000034", "governing_body"] == ""
    assert set(table["governing_body_type"]) == {"PCC", "PFCC", "Mayor", "None"}
    assert table["region"].nunique() == 10


@pytest.mark.parametrize(("written", "code"), REPORT_ALIASES.items())
def test_report_names_resolve(written, code):
    assert match_area(written).code == code


def test_every_declared_alias_resolves_to_its_own_area():
    for area in force_areas():
        for written in (area.code, area.name, area.display_name, *area.aliases):
            assert match_area(written).code == area.code, written
        if area.governing_body:
            assert match_area(area.governing_body).code == area.code


def test_unknown_area_name_suggests_nearest():
    match = match_area("Nothumbria")
    assert match.code is None
    assert match.suggestions[0] == "Northumbria"


def test_normalise_ignores_case_and_punctuation():
    assert normalise_name("Avon & Somerset") == normalise_name("avon and somerset")
    assert normalise_name("Dyfed-Powys") == normalise_name("dyfed powys")

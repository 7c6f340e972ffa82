"""The fixtures many test modules share, defined once: a fresh store, a store for the pages, the
bundled wave and its model.

A module needing a store set up its own way builds it from these (see test_upload_page's and
test_cli_store's fixtures) rather than opening one from scratch.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from landscape.model.landscape import Landscape
from landscape.store.waves import Store
from landscape.survey import Survey
from tests import postgres_support
from tests.store_support import (
    bundled_model,
    database_url,
    fresh_store,
    read_bundled_survey,
    use_database,
)

# The suites that run once on SQLite and once on a throwaway PostgreSQL database (issue 13): every
# store they open through `database_url`/`fresh_store`/`store_env` is on the backend of the run.
BOTH_BACKENDS = {
    "test_store",
    "test_access",
    "test_faults",
    "test_waves_over_time",
    "test_cli_store",
    "test_postgres",
    "test_two_processes",
    "test_sign_in_limits",
    "test_rounds",
    "test_wave_kind",
    "test_cli_round",
    "test_upload_page",
    "test_db_failures",
    "test_tamper",
    "test_accounts",
    "test_cli_accounts",
}
BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: proves something of SQLite itself (files, PRAGMAs): one run"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if module in BOTH_BACKENDS and "database_backend" in metafunc.fixturenames:
        metafunc.parametrize("database_backend", BACKENDS, indirect=True, scope="module")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[postgres_support.Cluster]:
    """One throwaway PostgreSQL server for the run, started on first use; skipped (or, with
    LANDSCAPE_REQUIRE_POSTGRES=1, failed) where Debian's server binaries are absent."""
    binaries = postgres_support.server_binaries()
    if binaries is None:
        if postgres_support.required():
            pytest.fail(
                "PostgreSQL's server binaries are not installed: apt-get install postgresql"
            )
        pytest.skip("PostgreSQL's server binaries are not installed")
    cluster = postgres_support.Cluster(binaries).start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module", autouse=True)
def database_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """The backend this module's stores live on: "sqlite" unless the module is in BOTH_BACKENDS
    and this is its PostgreSQL run. Module-scoped, so a module's shared store is made on each
    backend in turn (such a fixture names `database_backend` to be rebuilt per backend)."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield backend
        return
    cluster: postgres_support.Cluster = request.getfixturevalue("postgres_cluster")
    previous = use_database(cluster.url_for_path)
    try:
        yield backend
    finally:
        use_database(previous)


@pytest.fixture(autouse=True)
def _sqlite_only_runs_once(request: pytest.FixtureRequest, database_backend: str) -> None:
    if database_backend != "sqlite" and request.node.get_closest_marker("sqlite_only"):
        pytest.skip("proves something of SQLite itself")


@pytest.fixture(scope="session")
def bundled_survey() -> Survey:
    """The bundled wave, read once; shared, so never changed (read_bundled_survey: a copy)."""
    return read_bundled_survey()


@pytest.fixture(scope="session")
def bundled() -> Landscape:
    """The model of the bundled wave, built once; shared, so never changed."""
    return bundled_model()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """An empty store of the test's own (migrated, not seeded)."""
    return fresh_store(tmp_path)


@pytest.fixture
def store_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """What the CLI and the pages read: LANDSCAPE_DATABASE_URL at a new SQLite file, and no
    secrets file, so a developer's .streamlit/secrets.toml cannot leak in. Returns the URL."""
    url = database_url(tmp_path / "env.sqlite")
    monkeypatch.setenv("LANDSCAPE_DATABASE_URL", url)
    monkeypatch.setenv("LANDSCAPE_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    return url


@pytest.fixture(scope="module")
def app_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """For a module of AppTest page tests: a store of its own, seeded with the bundled wave on
    first use, and cold Streamlit caches. Use with `pytestmark = pytest.mark.usefixtures(...)`."""
    from tests.app_support import isolated_store  # imports streamlit: only for the page tests

    with isolated_store(tmp_path_factory.mktemp("app-store") / "app.sqlite") as url:
        yield url


@pytest.fixture
def printed_pdfs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML of each PDF the profile would print, in order; chromium is not run (charts are
    blank SVGs, and the 'PDF' is the bytes b"%PDF-1.4")."""
    from landscape.figures import pdf

    printed: list[str] = []
    monkeypatch.setattr(pdf, "chart_svgs", lambda figures, **_: ["<svg></svg>"] * len(figures))

    def print_to_pdf(html: str, **_: object) -> bytes:
        printed.append(html)
        return b"%PDF-1.4"

    monkeypatch.setattr(pdf, "print_to_pdf", print_to_pdf)
    return printed

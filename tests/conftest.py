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
from tests.store_support import bundled_model, fresh_store, read_bundled_survey, sqlite_url


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
    url = sqlite_url(tmp_path / "env.sqlite")
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

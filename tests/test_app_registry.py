"""Every file in pages/ is registered in app.py's navigation, and renders without an exception."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import app_support

ROOT = Path(__file__).resolve().parents[1]
PAGE_FILES = sorted(p.name for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py")
GROUPS = ("Landscape", "Your area", "Data")


@pytest.fixture(scope="module", autouse=True)
def isolated_store(tmp_path_factory) -> Iterator[None]:
    with app_support.isolated_store(tmp_path_factory.mktemp("store") / "registry.sqlite"):
        yield


def test_app_py_names_every_page_file_once_and_no_other():
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    named = re.findall(r'st\.Page\(\s*"pages/([^"]+)"', source)
    assert sorted(named) == PAGE_FILES
    assert len(named) == len(set(named))
    for group in GROUPS:
        assert f'"{group}"' in source


def test_the_router_is_only_a_router():
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    assert "st.navigation(" in source and ".run()" in source
    assert "landscape" not in source.replace("layout=", "")  # no domain calls in the router


@pytest.mark.parametrize("page", PAGE_FILES)
def test_each_registered_page_renders(page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    # switch_page refuses a file that st.navigation did not register
    at.switch_page(f"pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) >= 1 or len(at.header) >= 1

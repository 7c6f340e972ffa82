"""One page registry (ui/registry.py): every file in pages/ is in app.py's navigation once and
renders; and the Streamlit behaviour that ui/router.py works around is still there."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from tests import app_support
from ui import registry, router

ROOT = Path(__file__).resolve().parents[1]
PAGE_FILES = sorted(
    f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py"
)


pytestmark = pytest.mark.usefixtures("app_store")  # a store of the module's own: conftest.py


def test_the_registry_names_every_page_file_once_and_no_other():
    registered = [spec.path for spec in registry.PAGES]
    assert sorted(registered) == PAGE_FILES
    assert len(registered) == len(set(registered))
    assert "pages/upload.py" in registered
    assert [spec.name for spec in registry.PAGES if spec.default] == ["overview"]
    assert list(registry.by_group()) == ["Landscape", "Your area", "Data"]


def test_each_url_path_is_the_file_stem_so_a_first_visit_by_url_reaches_the_same_page():
    # Streamlit's legacy pages/ mode serves pages/x.py at /x; the router's rerun keeps that key
    assert all(spec.url_path == spec.name for spec in registry.PAGES)


def test_the_tests_and_the_benchmark_read_the_registry():
    assert tuple(spec.name for spec in registry.PAGES) == app_support.ALL_PAGES
    assert "upload" in app_support.ALL_PAGES and "upload" not in app_support.PAGES
    bench = (ROOT / "benchmarks" / "bench_pages.py").read_text(encoding="utf-8")
    assert "from tests.app_support import PAGES" in bench


def test_the_registry_imports_no_streamlit():
    code = "import sys, ui.registry; print('streamlit' in sys.modules)"
    shown = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "False"


def test_app_py_is_only_a_router_over_the_registry():
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    calls = {
        ast.unparse(node.func) for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)
    }
    assert calls == {"router.configure_page", "router.run"}
    assert "pages/" not in source.replace("lives in pages/", "")  # no second page list


def _show_the_navigation_pages() -> None:
    import streamlit as st

    from ui import router

    for group, pages in router.navigation_pages().items():
        st.text(f"{group}: " + ", ".join(f"{p.title} /{p.url_path}" for p in pages))


def test_the_navigation_has_the_registry_pages_titles_and_sections():
    at = AppTest.from_function(_show_the_navigation_pages).run()
    shown = [t.value for t in at.text]
    assert shown == [
        f"{group}: " + ", ".join(f"{s.title} /{'' if s.default else s.url_path}" for s in specs)
        for group, specs in registry.by_group().items()
    ]
    assert shown[0].startswith("Landscape: Overview /, Availability /availability")


@pytest.mark.parametrize("path", PAGE_FILES)
def test_each_registered_page_renders(path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    # switch_page refuses a file that st.navigation did not register
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) >= 1
    assert router.RETRIED not in at.session_state  # the page ran inside app.py's navigation


def test_a_first_visit_by_page_url_is_rerun_through_app_py():
    # AppTest starts every run as a fresh server: before its first run, a page is found by file
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/about.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value
    assert router.RETRIED not in at.session_state  # app.py ran after the page's one retry


def test_streamlit_still_runs_a_page_alone_on_a_fresh_servers_first_visit_by_its_url(tmp_path):
    """Pins the behaviour ui/router.py works around (verified on Streamlit 1.67.0). When this
    fails, Streamlit no longer runs a pages/ file without the entrypoint: `ensure_routed` (and
    its rerun) can go, and the browser test of a first visit by page URL shows whether it may."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "entry.py").write_text(
        "import streamlit as st\n"
        "st.session_state['entry_ran'] = True\n"
        "st.navigation([st.Page('pages/home.py'), st.Page('pages/other.py')]).run()\n"
    )
    (tmp_path / "pages" / "home.py").write_text("import streamlit as st\nst.write('home')\n")
    (tmp_path / "pages" / "other.py").write_text(
        "import streamlit as st\n"
        "st.write('with entry' if st.session_state.get('entry_ran') else 'alone')\n"
    )
    at = AppTest.from_file(str(tmp_path / "entry.py"))
    at.switch_page("pages/other.py").run()
    shown = [m.value for m in at.markdown]
    assert shown == ["alone"], (
        f"Streamlit {streamlit.__version__} ran the entrypoint on a first visit by page URL "
        f"({shown}); ui/router.py's workaround was verified on 1.67.0 and may now be removable"
    )

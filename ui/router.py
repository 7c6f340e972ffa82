"""app.py's navigation built from ui.registry, and the one step that keeps pages inside it.

Why a page may run without app.py: the project keeps its page files in a top-level pages/
folder, beside app.py. Streamlit documents that folder as its legacy multipage mode and that
"as soon as any session of your app executes the st.navigation command, your app will ignore the
pages/ directory (across all sessions)" (st.navigation API reference). Until then, on a fresh
server (verified on Streamlit 1.67.0), a first visit by a page's own URL runs that page file
alone: no app.py, so no grouped menu and no page config. Streamlit offers no setting to turn the
legacy mode off (the only related option, client.showSidebarNavigation, just hides the menu);
its own guidance is to name the folder something other than pages/, which this project cannot.

So `ensure_routed` does the documented thing from the page: it runs st.navigation once, which
ends the legacy mode for every session, and reruns, so that app.py opens the same page (pages
are keyed by url_path, and each registry url_path is the file's stem, as the legacy mode uses).
tests/test_app_registry.py fails when Streamlit stops running a page alone, so the step can go.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

from landscape.errors import LandscapeError
from ui import registry

if TYPE_CHECKING:
    from streamlit.navigation.page import StreamlitPage

# True while app.py's chosen page runs (the page runs inside app.py's call, in the same thread)
_ROUTED: ContextVar[bool] = ContextVar("landscape_routed", default=False)
# set when a page that ran without app.py has asked for one rerun through it
RETRIED = "router:retried-unrouted"


def configure_page() -> None:
    """The dashboard's page config, set before any st.navigation. The favicon is an emoji, drawn
    locally: without a config, Streamlit's browser code makes the page's own icon the favicon,
    and a Material icon is fetched from fonts.gstatic.com (what a first visit by a page's URL
    did, through ensure_routed: tests/test_no_outbound.py)."""
    import streamlit as st

    st.set_page_config(page_icon="📊", layout="wide")


def navigation_pages() -> dict[str, list[StreamlitPage]]:
    """The registry as st.Page objects by menu section (absolute paths: right from any script)."""
    import streamlit as st

    return {
        group: [
            st.Page(
                spec.file,
                title=spec.title,
                icon=spec.icon,
                url_path=spec.url_path,
                default=spec.default,
            )
            for spec in specs
        ]
        for group, specs in registry.by_group().items()
    }


def run() -> None:
    """app.py's body: the navigation menu, then the chosen page, marked as run by the router."""
    import streamlit as st

    requested = _requested_page()
    page = st.navigation(navigation_pages())
    st.session_state.pop(RETRIED, None)
    notice = unknown_page_notice(requested, page.title)
    if notice:
        # Streamlit's own "Page not found" dialog names neither the address nor the page shown
        st.warning(notice, icon=":material/link_off:")
    token = _ROUTED.set(True)
    try:
        page.run()
    except LandscapeError as refusal:
        # a domain refusal (e.g. an unreadable or read-only database) reads as its message and
        # fix on every page; with showErrorDetails = "none" anything else shows no detail at all
        st.error(refusal.summary(), icon=":material/error:")
    finally:
        _ROUTED.reset(token)


def unknown_page_notice(requested: str, shown: str) -> str | None:
    """Plain words when the address names no page of the registry: the name asked for and the
    page shown instead (Streamlit opens the default page); None for a known page or the root."""
    name = requested.strip("/")
    if not name or name in {spec.url_path for spec in registry.PAGES}:
        return None
    from ui.layout import plain

    return f"There is no page '/{plain(name[:80])}' in this dashboard: showing {shown} instead."


def _requested_page() -> str:
    """The page name this run was asked for by the browser's address ("" for the root or a menu
    click). Streamlit has no public call for it: st.context.url gives the page resolved, not the
    one asked for, so this reads the run's page intent; tests/test_browser_pages.py opens an
    unknown address and fails if this stops seeing it."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return (ctx.pages_manager.intended_page_name or "") if ctx else ""


def ensure_routed() -> None:
    """Called first by every page: when it runs without app.py, leave Streamlit's legacy pages/
    mode and rerun through app.py, once; a page file run on its own (a test) then goes on."""
    if _ROUTED.get():
        return
    import streamlit as st

    if st.session_state.get(RETRIED):
        return
    st.session_state[RETRIED] = True
    configure_page()
    st.navigation(navigation_pages(), position="hidden")
    st.rerun()

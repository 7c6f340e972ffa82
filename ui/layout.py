"""What every page shows the same way: header, illustrative banner, source note, tables, downloads.

Text from spreadsheets only ever reaches the page through Streamlit elements that escape it
(st.text, st.caption of a literal, Markdown made verbatim by `plain`), or through markup whose
builders escape every text in it: pictures (landscape.figures.picture: every chart and map) and
tables (landscape.figures.table_html). That markup is the only thing here passed to
unsafe_allow_html.
"""

from __future__ import annotations

import collections
import functools
import re
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar, cast

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.errors import StreamlitAPIException

from landscape.figures import report_html
from landscape.figures.picture import Picture, chart_picture
from landscape.figures.table_html import table_markup
from landscape.labels import labelled
from landscape.model import report
from landscape.model.wave_kind import ProvenanceMix, WaveBasis, WaveKind
from landscape.text import printable
from ui import data, upload_limits
from ui.filters import Filters

upload_limits.install()  # every page imports this module before it offers an upload

T = TypeVar("T")
ABOUT_PAGE = "pages/about.py"
SOURCE = (
    "Source: APCC survey of PCC offices on perpetrator intervention programmes "
    "(report published 7 March 2025)."
)
# Every ASCII punctuation character: CommonMark lets each be backslash-escaped, which defeats
# emphasis, links, HTML, maths and Streamlit's :emoji: / :color[...] directives.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# What Streamlit's GFM autolinking links even when escaped (it finds URLs in the parsed text, so a
# backslash cannot stop it): a run holding "://", "www." or "@".
_LINKABLE = re.compile(r"://|www\.|@", re.IGNORECASE)


def plain(text: object) -> str:
    """Text from data as Markdown that shows it verbatim: punctuation escaped, and any run that
    autolinking would make a link shown as an inline code span (never linked or interpreted);
    each line's control and escape characters shown as escapes (`landscape.text.printable`)."""
    lines = (printable(line) for line in str(text).split("\n"))
    return "".join(
        _code_span(run) if _LINKABLE.search(run) else _MARKDOWN_SPECIAL.sub(r"\\\1", run)
        for run in re.split(r"(\s+)", "\n".join(lines))
    )


def bullets(items: Iterable[object]) -> str:
    """Items from data as one Markdown bulleted list, each shown verbatim (plain)."""
    return "\n".join(f"- {plain(item)}" for item in items)


def _code_span(run: str) -> str:
    """`run` as a code span: fenced by more backticks than any run of them inside it."""
    fence = "`"
    while fence in run:
        fence += "`"
    return f"{fence} {run} {fence}"


def page_header(
    title: str,
    subtitle: str,
    *,
    filters: Filters,
    shown: data.FilterKey | None = None,
    figures: tuple[str, ...] = (),
    unpublished: bool = False,
) -> None:
    """Active title (the finding), what kind of number it states, subtitle (measure, denominator,
    wave), and the honesty banner.

    `figures` are the ids of the measures the title states: the label says, for each, whether
    the report publishes it or it comes from the wave's (possibly invented) answers; with none,
    the label is the wave's; `unpublished` when the title also states a figure that is no
    measure (so the report gives none). `shown` is the view the page's figures describe, when
    not the sidebar's (About: the wave)."""
    st.title(title, anchor=False)
    shown = shown or filters.key
    view = filters.describe()
    basis = data.headline_basis(shown, figures, unpublished)
    st.caption(plain(basis), help="What kind of number the headline states.")
    st.caption(f"{subtitle} · Wave: {plain(data.wave_label(shown))} · View: {plain(view)}")
    if data.wave_verified(shown.wave_id) is False:
        st.error(
            "**This wave does not verify:** its stored content no longer matches the checksum "
            "it was published with. An administrator can run `landscape verify`.",
            icon=":material/gpp_bad:",
        )
    # every download of this page states the wave, its kind and this label first
    st.session_state[_DOWNLOAD_ABOUT] = data.download_about(shown, basis, filters.stamp)
    st.session_state[_DOWNLOAD_VIEW] = shown  # each table's own figures are named from it
    wave_banner(shown)


_DOWNLOAD_ABOUT = "_landscape_download_about"
_DOWNLOAD_VIEW = "_landscape_download_view"
PAGE_FIGURES = "Figures on this page"


def table_about(frame: pd.DataFrame, name: str) -> tuple[tuple[str, str], ...]:
    """What the download of table `name` states first: the view's lines (wave, kind, view,
    records) and, where the page's would give the headline's label, what this table's own
    figures are (landscape.model.table_provenance). The view is this run's: start_page sets
    it, page_header replaces it when the page's figures describe another (About: the wave)."""
    return _table_about(
        frame,
        name,
        st.session_state.get(_DOWNLOAD_VIEW),
        tuple(st.session_state.get(_DOWNLOAD_ABOUT, ())),
    )


def _table_about(
    frame: pd.DataFrame,
    name: str,
    shown: data.FilterKey | None,
    fallback: tuple[tuple[str, str], ...],
) -> tuple[tuple[str, str], ...]:
    """table_about of a view already read from this run (downloads calls it on the click)."""
    from landscape.model import table_provenance

    if shown is None:
        return fallback
    # from this run's view, never the last run's: a table may be drawn above its page's header
    about = data.download_about(shown, "")
    column = table_provenance.row_column_of(name, frame.columns)
    rows = frame[column] if column is not None else ()
    lines = table_provenance.table_lines(
        name,
        rows,
        data.measures(shown),
        data.wave_kind(shown.wave_id),
        whole_wave=not shown.narrowed,
    )
    fields = [field for field, _ in about]
    at = fields.index(PAGE_FIGURES) if PAGE_FIGURES in fields else len(about)
    kept = tuple(line for line in about if line[0] != PAGE_FIGURES)
    return (*kept[:at], *lines, *kept[at:])


def wave_banner(shown: data.FilterKey) -> None:
    """What the page must say first about the wave shown: whether its view holds invented values
    and whether it (still) reproduces the report it is tied to, from the kind its values give."""
    wave_id = shown.wave_id
    kind_banner(data.wave_kind(wave_id), data.view_mix(shown), data.differing_statements(wave_id))


def kind_banner(kind: WaveKind, mix: ProvenanceMix | None, differing: tuple[str, ...]) -> None:
    """wave_banner's text for a wave of `kind` whose view holds `mix` (None: the kind alone
    is known, a wave recorded before its values were counted) and whose report figures
    `differing` (their statements) it no longer gives."""
    invented = mix.illustrative if mix is not None else int(kind.illustrative)
    if invented and kind.basis is WaveBasis.MIXED and mix is not None:
        with st.container(border=True):
            st.warning(
                f"**Partly illustrative data.** {mix.illustrative:,} of the {mix.total:,} values "
                "in this view are invented (illustrative); the others are areas' own answers or "
                "cite a public source. The area profile and the tables label each value. Do not "
                "quote an invented value as fact." + _differs_sentence(kind, differing),
                icon=":material/info:",
            )
            page_link(ABOUT_PAGE, "What each value is: About the data")
    elif invented:
        illustrative_banner(calibrated=kind.calibrated, differing=differing)
    elif differing:
        st.info(_differs_sentence(kind, differing).strip(), icon=":material/rule:")


def _differs_sentence(kind: WaveKind, differing: tuple[str, ...]) -> str:
    if not differing or kind.report_title is None:
        return ""
    count = len(differing)
    return (
        f" This wave is set beside the {kind.report_title} but no longer reproduces it: "
        f"{count} of the report's figures {'differs' if count == 1 else 'differ'} "
        f"({'; '.join(plain(s) for s in differing)})."
    )


def illustrative_banner(*, calibrated: bool = True, differing: tuple[str, ...] = ()) -> None:
    """The banner of an illustrative wave; it claims calibration to the APCC report only for a
    wave that still gives every figure of it (a later illustrative wave reproduces nothing; a
    correction of the calibrated wave says which figures now differ)."""
    if calibrated:
        claim = ", calibrated to reproduce the APCC report's published figures"
    elif differing:
        count = len(differing)
        claim = (
            f". It corrects the wave calibrated to the APCC report and no longer reproduces it: "
            f"{count} of the report's figures {'differs' if count == 1 else 'differ'} "
            f"({'; '.join(plain(s) for s in differing)})"
        )
    else:
        claim = "; it is not calibrated to any published report"
    with st.container(border=True):
        st.warning(
            "**Illustrative data.** The per-area survey answers are not public: this wave is real "
            f"where a public source says so and invented elsewhere{claim}. Do not quote an "
            "area's answers as fact.",
            icon=":material/info:",
        )
        page_link(ABOUT_PAGE, "How the data was made: About the data")


def page_link(page: str, label: str) -> None:
    try:
        st.page_link(page, label=label, icon=":material/arrow_forward:")
    except (StreamlitAPIException, KeyError):
        # a page opened on its own (outside app.py's navigation) has no registered pages
        st.caption(f"{label} (see the About the data page)")


def source_note(extra: str = "") -> None:
    """The page's source line: where the wave shown comes from (page_header names the view)."""
    shown = st.session_state.get(_DOWNLOAD_VIEW)
    source = f"Source: {plain(data.source_text(shown.wave_id))}." if shown is not None else SOURCE
    st.caption(f"{source} {extra}".strip())


def nothing_to_show(what: str, filters: Filters) -> None:
    st.info(
        f"Nothing to show for {what} in this view ({plain(filters.describe())}). "
        "Widen the filters in the sidebar to see more."
    )


def coverage_note(filters: Filters) -> None:
    cover = data.coverage(filters.key)
    missing = data.non_respondent_names(filters.key)
    text = (
        f"{cover.responding} of {cover.areas} force areas in this view responded; "
        f"{cover.programmes} programmes."
    )
    if missing:
        text += " Did not respond (never counted as 'none'): " + ", ".join(
            plain(m) for m in missing
        )
    st.caption(text)


def in_rows(count: int, *, per_row: int = 3) -> list[DeltaGenerator]:
    """`count` cells in rows of `per_row` columns, in reading order. A phone stacks each row's
    columns one under another, so row by row the order holds at any width (one st.columns of
    three holding every card stacks column by column on a phone: 1, 4, 7, 2, 5 ...)."""
    cells: list[DeltaGenerator] = []
    for start in range(0, count, per_row):
        cells += st.columns(per_row)[: count - start]  # the last row may be short
    return cells


def chart(figure: go.Figure, *, key: str, finding: str = "") -> None:
    """A chart of landscape.figures.charts, drawn by the browser as HTML
    (picture.chart_picture of that very figure: no plotly bundle for a phone to fetch and run,
    issue 20), made once per shared figure and described for a screen reader."""
    drawn = _kept(figure, lambda: chart_picture(figure), "picture")
    picture(drawn, key=key, finding=finding)


def picture(shown: Picture, *, key: str, finding: str = "") -> None:
    """A figure drawn by the browser as HTML and SVG (landscape.figures.picture: no plotly),
    described for a screen reader as a chart is: the description first, in one container."""
    with st.container(key=f"described-{key}"):
        with st.container(key=f"chart-alt-{key}"):
            st.markdown(plain(picture_description(shown, finding)))
        # one line of HTML whose every text its builder escaped
        st.markdown(shown.markup, unsafe_allow_html=True)


def picture_description(shown: Picture, finding: str = "") -> str:
    """What a screen reader meets instead of the picture: the finding, its title and its key."""
    parts = [f"{finding.rstrip('.')}." if finding else ""]
    title = shown.title.rstrip(".")
    parts.append(f"Chart ({shown.kind}): {title}." if title else f"Chart ({shown.kind}).")
    if shown.key:
        parts.append(f"Key: {'; '.join(shown.key)}.")
    parts.append("Every figure it draws is in the table that follows it.")
    return " ".join(part for part in parts if part)


def data_table(
    frame: pd.DataFrame,
    *,
    name: str,
    caption: str = "",
    label: str = "",
    height: int | None = None,
    sortable: bool = False,
) -> None:
    """The table alternative: the exact frame shown, with CSV and Excel downloads of it; every
    header in words (landscape.labels.column_label), never a column name. Drawn by the browser
    as HTML (landscape.figures.table_html: no grid library for a phone to fetch and run, issue
    20); `height` (pixels) bounds a long table's box, `label` names it for a screen reader.
    `sortable` asks for Streamlit's grid instead (sort by a header, search), which only a person
    who chose it pays for."""
    title = label or name.replace("-", " ").capitalize()
    if height is None and len(frame) > _LONG_TABLE_ROWS:
        height = _LONG_TABLE_PIXELS  # a long table scrolls in its box, its header row in view
    frame, markup = _shown_table(frame, title, height)
    if sortable:
        st.dataframe(frame, hide_index=True, width="stretch", height=height or "auto")
    else:
        # one line of HTML whose every text table_markup escaped
        st.markdown(markup, unsafe_allow_html=True)
    downloads(frame, name=name)
    if caption:
        st.caption(caption)


_SHOWN: collections.OrderedDict[tuple[int, str], tuple[object, object]] = collections.OrderedDict()
_SHOWN_LOCK = threading.Lock()
_SHOWN_KEPT = 128


def _kept(shared: object, build: Callable[[], T], part: str = "") -> T:
    """build(), kept for the last _SHOWN_KEPT objects by identity (and `part`, when one object
    is sent in several ways): a chart's figure and table are the same shared objects (ui.memo)
    on every rerun, so what is sent of them is made once, not on every rerun (issue 13). Each
    entry holds its object, so an id is never reused while it is kept; cached objects are never
    mutated (ui.data)."""
    slot = (id(shared), part)
    with _SHOWN_LOCK:
        kept = _SHOWN.get(slot)
        if kept is not None and kept[0] is shared:
            _SHOWN.move_to_end(slot)
            return cast(T, kept[1])
    made = build()
    with _SHOWN_LOCK:
        _SHOWN[slot] = (shared, made)
        while len(_SHOWN) > _SHOWN_KEPT:
            _SHOWN.popitem(last=False)
    return made


def _shown_table(frame: pd.DataFrame, label: str, height: int | None) -> tuple[pd.DataFrame, str]:
    """labelled(frame) and its markup, made once per shared frame and way of showing it (_kept)."""

    def build() -> tuple[pd.DataFrame, str]:
        shown = labelled(frame)
        bound = height / _REM_PIXELS if height else None
        return shown, table_markup(shown, label=label, max_height_rem=bound)

    return _kept(frame, build, f"table {label} {height}")


_REM_PIXELS = 16
_LONG_TABLE_ROWS = 20
_LONG_TABLE_PIXELS = 560


def table_expander(
    frame: pd.DataFrame, *, name: str, label: str = "Table and download", title: str = ""
) -> None:
    with st.expander(label):
        data_table(frame, name=name, label=title)


def downloads(frame: pd.DataFrame, *, name: str) -> None:
    """CSV and XLSX of exactly `frame`, built only on a click (landscape.figures.export)."""
    from landscape.figures import export

    formats: tuple[tuple[str, Callable[..., bytes], str, str], ...] = (
        ("CSV", export.csv_bytes, "csv", "text/csv"),
        (
            "Excel",
            export.xlsx_bytes,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    )
    # the About lines too are made on the click, from this run's view (read now): making them
    # for every table on every rerun asked the store and the measures once a table (issue 13)
    about = functools.partial(
        _table_about,
        frame,
        name,
        st.session_state.get(_DOWNLOAD_VIEW),
        tuple(st.session_state.get(_DOWNLOAD_ABOUT, ())),
    )
    row = st.container(horizontal=True)
    for label, build, extension, mime in formats:
        row.download_button(
            f"Download {label}",
            data=functools.partial(_built, build, frame, about),
            file_name=f"{name}.{extension}",
            mime=mime,
            key=f"{extension}-{name}",
            on_click="ignore",
            icon=":material/download:",
        )


def _built(
    build: Callable[..., bytes],
    frame: pd.DataFrame,
    about: Callable[[], tuple[tuple[str, str], ...]],
) -> bytes:
    """A download's file with its About lines, both made when it is clicked."""
    return build(frame, about=about())


def start_page() -> Filters:
    """Every page begins here: the sidebar filters (their `key` selects everything shown)."""
    from ui import filters

    ensure_app_navigation()
    chosen = filters.sidebar()
    if not chosen.wave_id:
        st.error(
            "No survey wave is stored yet. An administrator can publish one on the Upload page."
        )
        st.stop()
    st.session_state[_DOWNLOAD_VIEW] = chosen.key  # what this run's downloads describe
    return chosen


def chart_section(heading: str, shown: data.Chart, *, name: str, caption: str = "") -> None:
    """A finding as a sub-heading, its chart, a caption, and the table behind it with downloads."""
    st.subheader(heading, anchor=False)
    chart(shown.figure, key=f"chart-{name}", finding=heading)
    if caption:
        st.caption(caption)
    table_expander(shown.table, name=name, title=f"Table: {heading}")


def report_section(section: report.ReportSection) -> None:
    """One part of the report page: its heading and every finding in it as ONE block of escaped
    HTML (title, summary, the report's figures and section, the measures), not five to eight
    elements a finding (each element is sent on every rerun, issue 13), and not Markdown, which a
    phone parses in script: a long section of it blocked a throttled phone's main thread for
    hundreds of milliseconds (issue 20)."""
    st.header(section.heading, anchor=False)
    # one line of HTML whose every text report_html.section_markup escaped
    st.markdown(_report_section_markup(section), unsafe_allow_html=True)


# frozen and hashable: each section's markup is built once per section and view
_report_section_markup = functools.lru_cache(maxsize=128)(report_html.section_markup)


def ensure_app_navigation() -> None:
    """Make sure the page runs inside app.py's navigation (see ui/router.py for why it may not)."""
    from ui import router

    router.ensure_routed()
    page_style()


# The project's own static CSS (no data in it): a phone keeps the page's width for its content,
# and a printout drops the sidebar, the toolbar and the buttons, and draws charts at page width;
# the banner and the source note are ordinary elements, so they print.
PAGE_STYLE = """
/* a chart's description: read by screen readers, not drawn (the usual visually-hidden rules) */
[class*="st-key-chart-alt-"] {
  position: absolute !important; width: 1px !important; height: 1px !important;
  overflow: hidden !important; clip: rect(0 0 0 0) !important; clip-path: inset(50%) !important;
  white-space: nowrap !important; margin: -1px !important; padding: 0 !important;
}
/* a card's value ("185 of 210 (88%)") wraps rather than being cut to "185 of 210 (8…" */
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
/* the report page's notes under a finding */
.landscape-note { color: #505a5f; }
/* a table (landscape.figures.table_html): scrolls inside its own box, header row kept in view */
.landscape-table { overflow: auto; max-width: 100%; margin-bottom: 0.5rem;
  border: 1px solid #b1b4b6; }
.landscape-table table { border-collapse: collapse; width: 100%; margin: 0 !important;
  font-size: 0.875rem; }
.landscape-table caption { caption-side: bottom; text-align: left; padding: 0.25rem 0.5rem;
  color: #505a5f; font-size: 0.8rem; }
.landscape-table th, .landscape-table td { padding: 0.25rem 0.5rem; text-align: left;
  vertical-align: top; border: none !important; border-bottom: 1px solid #e5e6e7 !important;
  min-width: 5rem; max-width: 26rem; }
.landscape-table th { position: sticky; top: 0; background: #f3f2f1; font-weight: 600;
  z-index: 1; }
.landscape-table .num { text-align: right; font-variant-numeric: tabular-nums; }
.landscape-table:focus { outline: 3px solid #ffdd00; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: 1rem; padding-right: 1rem; }
}
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stExpandSidebarButton"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stDownloadButton"] { display: none !important; }
  [data-testid="stMain"], [data-testid="stAppViewContainer"] { margin: 0 !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0 !important; }
  [data-testid="stPlotlyChart"], [data-testid="stPlotlyChart"] > div {
    width: 100% !important; break-inside: avoid;
  }
  [data-testid="stAlert"], [data-testid="stCaptionContainer"] { break-inside: avoid; }
  .landscape-table { max-height: none !important; overflow: visible; }
}
"""


def page_style() -> None:
    """Inject PAGE_STYLE once per run (a <style> alone takes no room on the page)."""
    st.html(f"<style>{PAGE_STYLE}</style>")


def stop_if_none(count: int, *, title: str, subtitle: str, subject: str, filters: Filters) -> None:
    """When a view holds none of what the page counts: say so in the header, and end the page."""
    if count:
        return
    page_header(title, subtitle, filters=filters)
    nothing_to_show(subject, filters)
    st.stop()


def stop_unless_respondents(chosen: Filters, *, subject: str, page_label: str) -> None:
    """End the page when no area in the view responded: its answers are unknown, not zero."""
    stop_if_none(
        data.coverage(chosen.key).responding,
        title="No responding areas in this view",
        subtitle=f"{page_label} · out of responding areas",
        subject=subject,
        filters=chosen,
    )


def stop_unless_programmes(chosen: Filters, *, subtitle: str) -> None:
    """End the page when the view holds no programmes."""
    stop_if_none(
        data.coverage(chosen.key).programmes,
        title="No programmes in this view",
        subtitle=subtitle,
        subject="programmes",
        filters=chosen,
    )

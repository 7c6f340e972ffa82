"""Upload a survey: template, sign-in, upload, problems or preview, then publish or cancel.

Thin: validation, access rules, the preview and publishing are all `landscape` calls; this page
gathers input and renders. Data text is shown through escaping elements only.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from landscape.errors import LandscapeError, Problem, sentence
from landscape.figures.export import xlsx_bytes
from landscape.intake.exports import bundle_import, import_filename, preview_of
from landscape.intake.mapping import read_mapping
from landscape.intake.template import template_workbook_bytes
from landscape.intake.uploads import combine_upload
from landscape.intake.validate import problems_frame
from landscape.model.diff import UploadPreview, preview_changes
from landscape.model.published import figure_statements
from landscape.store import PreparedUpload
from landscape.store.access import Principal, Role
from landscape.store.rounds import ReturnStatus, Round
from ui import auth, data
from ui import rounds as survey_round
from ui.layout import ensure_app_navigation, kind_banner, plain

UPLOADER_ROUND = "upload_round"
PUBLISHED = "upload_published_message"
ROUND_MESSAGE = "upload_round_message"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def error_summary(problems: list[Problem], intro: str = "") -> None:
    """The GOV.UK error summary: "There is a problem", then each problem where it is."""
    with st.container(border=True):
        st.subheader("There is a problem", anchor=False)
        if intro:
            st.markdown(plain(intro))
        st.markdown(
            "\n".join(
                f"- **{plain(p.location)}**: {plain(sentence(p.message))} {plain(sentence(p.fix))}"
                + (f" (found: {plain(p.value)})" if p.value else "")
                for p in problems
            )
        )
        st.download_button(
            "Download the problem list (.xlsx)",
            xlsx_bytes(problems_frame(problems), sheet_name="Problems"),
            file_name="survey-problems.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="problems_download",
        )


def show_refusal(refusal: LandscapeError) -> None:
    """Any refusal by the domain: the problem summary when it names problems, else one error."""
    if refusal.problems:
        error_summary(refusal.problems, refusal.summary())
    else:
        st.error(plain(refusal.summary()))


def show_preview(prepared: PreparedUpload, preview: UploadPreview) -> None:
    base = prepared.base
    show_change(preview, f"the current wave ({base.title})" if base else "an empty store")


def show_change(preview: UploadPreview, against: str) -> None:
    """The change itself: each changed value old beside new, then the figures that move."""
    st.subheader("What will change", anchor=False)
    st.markdown(plain(f"Compared with {against}: {preview.summary}."))
    if not preview.has_changes:
        st.info("This upload holds the same answers as the current wave.")
    for title, frame in (
        ("Each change, old and new", survey_round.changes_table(preview)),
        (
            "Figures that move (numerator / denominator now and after)",
            survey_round.figures_table(preview),
        ),
    ):
        if len(frame):
            st.markdown(f"**{title}**")
            st.dataframe(frame, hide_index=True, width="stretch")


def publish_form(prepared: PreparedUpload, principal: Principal, data: bytes) -> None:
    base = prepared.base
    correcting_default = principal.role is Role.AREA
    with st.form("publish"):
        label = st.text_input(
            "Wave label",
            value=base.label if (base and correcting_default) else "",
            placeholder="APCC 2026 survey",
        )
        survey_date = st.date_input(
            "Survey date",
            value=base.survey_date if (base and base.survey_date) else None,
            format="YYYY-MM-DD",
        )
        corrects = None
        if principal.role is Role.ADMIN and base is not None:
            if st.checkbox(
                plain(f"This corrects {base.title} (publish as version {base.version + 1})"),
                key="corrects_current",
            ):
                corrects = base.wave_id
        elif principal.role is Role.AREA and base is not None:
            st.caption(
                plain(
                    f"Your rows replace your area's rows in {base.title}; it is published as "
                    f"version {base.version + 1}, and the earlier version stays readable."
                )
            )
        publish, cancel = st.columns(2)
        do_publish = publish.form_submit_button("Publish", type="primary")
        do_cancel = cancel.form_submit_button("Cancel")
    if do_cancel:
        _reset()
    if do_publish:
        try:
            result = auth.store().publish(
                data,
                prepared.filename,
                principal=principal,
                label=label,
                survey_date=survey_date if isinstance(survey_date, dt.date) else None,
                corrects=corrects,
            )
        except LandscapeError as refusal:
            show_refusal(refusal)
            return
        _refresh_dashboard()
        st.session_state[PUBLISHED] = result.message
        _reset()


# --- the survey round ----------------------------------------------------------------------


def round_section(principal: Principal) -> Round | None:
    """The round as the principal may see it; returns the open round (None when there is none)."""
    st.subheader("Survey round", anchor=False)
    if ROUND_MESSAGE in st.session_state:
        st.success(plain(st.session_state.pop(ROUND_MESSAGE)), icon=":material/check_circle:")
    current = survey_round.current_round(principal)
    open_now = current if current is not None and current.is_open else None
    if principal.role is Role.ADMIN:
        if open_now is None:
            if current is not None:
                st.caption(
                    plain(
                        f"The last round, {current.label}, was published as wave {current.wave_id}."
                    )
                )
            open_round_form(principal)
        else:
            admin_round(principal, open_now)
    elif open_now is None:
        st.caption("There is no open survey round: the APCC will tell you when the next opens.")
    else:
        office_round(principal, open_now)
    return open_now


def open_round_form(principal: Principal) -> None:
    with st.form("open_round"):
        st.markdown("**Open a survey round**")
        label = st.text_input("Round label", placeholder="APCC 2026 survey")
        period = st.text_input("Survey period", placeholder="April 2025 to March 2026")
        deadline = st.date_input("Deadline for returns", value=None, format="YYYY-MM-DD")
        survey_date = st.date_input("Survey date (optional)", value=None, format="YYYY-MM-DD")
        submitted = st.form_submit_button("Open the round", type="primary")
    if not submitted:
        return
    if not isinstance(deadline, dt.date):
        st.error("Give the round a deadline.")
        return
    try:
        opened = survey_round.open_round(
            principal,
            label=label,
            period=period,
            deadline=deadline,
            survey_date=survey_date if isinstance(survey_date, dt.date) else None,
        )
    except LandscapeError as refusal:
        show_refusal(refusal)
        return
    _round_done(f"Opened {opened.title}, asking {opened.question_count} questions.")


def admin_round(principal: Principal, current: Round) -> None:
    st.markdown(plain(f"{current.title}. Opened by {current.opened_by}."))
    rows = survey_round.tracker(principal, current)
    st.markdown(plain(f"Returns: {survey_round.tracker_summary(rows)}."))
    st.dataframe(survey_round.tracker_table(rows), hide_index=True, width="stretch")
    st.download_button(
        "Download the outstanding areas (.csv)",
        survey_round.outstanding_csv_bytes(principal, current),
        file_name="outstanding-returns.csv",
        mime="text/csv",
        key="outstanding_download",
    )
    waiting = survey_round.awaiting_decision(rows)
    reopenable = survey_round.decided(rows)
    if reopenable:
        with st.form("decide_return"):
            code = st.selectbox(
                "Return", list(reopenable), format_func=lambda c: reopenable[c], key="decide_area"
            )
            accept, reopen = st.columns(2)
            do_accept = accept.form_submit_button("Accept", disabled=not waiting)
            do_reopen = reopen.form_submit_button("Reopen as draft")
        try:
            if do_accept and code is not None:
                version = survey_round.accept_return(principal, current, code)
                _round_done(f"Accepted {version.area}'s return, version {version.version}.")
            if do_reopen and code is not None:
                version = survey_round.reopen_return(principal, current, code)
                _round_done(f"Reopened {version.area}'s return: it is a draft again.")
        except LandscapeError as refusal:
            show_refusal(refusal)
    st.caption(
        "Publishing makes one new wave of the accepted returns; every other area is recorded "
        "as did not respond. Until then nothing of the round is visible to readers."
    )
    if st.button("Publish the round", type="primary", key="publish_round"):
        try:
            published = survey_round.publish_round(principal, current)
        except LandscapeError as refusal:
            show_refusal(refusal)
            return
        _refresh_dashboard()
        _round_done(published.message)


def office_round(principal: Principal, current: Round) -> None:
    own = survey_round.own_status(principal, current)
    st.markdown(plain(f"{current.title}. Your return: {own.status}."))
    filename, workbook = survey_round.prefilled_return(principal, current)
    st.download_button(
        "Download your return (.xlsx)",
        workbook,
        file_name=filename,
        mime=XLSX,
        key="return_download",
        help="Your area's answers and programmes as last published: change what is no longer "
        "right and upload it below.",
    )
    guide = survey_round.offices_guide()
    if guide is not None:
        st.caption(
            plain(f"How to fill it in and send it back: {guide.title}, at the top of this page.")
        )
    uploaded = st.file_uploader(
        "Your filled return (.xlsx)",
        type=["xlsx"],
        key=f"return_upload_{st.session_state.get(UPLOADER_ROUND, 0)}",
        help="Your return, or the whole survey workbook: other areas' rows left as they were "
        "are ignored.",
    )
    if uploaded is not None:
        data = uploaded.getvalue()
        try:
            prepared = survey_round.prepare_return(principal, current, data, uploaded.name)
        except LandscapeError as refusal:
            show_refusal(refusal)
        else:
            if prepared.scope.summary:
                st.info(plain(prepared.scope.summary))
            show_change(prepared.preview(), prepared.base_title or "an empty store")
            if st.button("Save as a draft", type="primary", key="save_return"):
                try:
                    version = survey_round.save_return(principal, current, data, uploaded.name)
                except LandscapeError as refusal:
                    show_refusal(refusal)
                else:
                    st.session_state[UPLOADER_ROUND] = st.session_state.get(UPLOADER_ROUND, 0) + 1
                    _round_done(f"Saved as draft version {version.version}. Submit it when ready.")
    versions = survey_round.versions_table(principal, current)
    if len(versions):
        st.markdown("**Your versions** (seen only by you and the APCC)")
        st.dataframe(versions, hide_index=True, width="stretch")
    if own.status is ReturnStatus.DRAFT and st.button(
        "Submit your latest version to the APCC", key="submit_return"
    ):
        try:
            version = survey_round.submit_return(principal, current)
        except LandscapeError as refusal:
            show_refusal(refusal)
            return
        _round_done(f"Submitted version {version.version}. The APCC will review it.")


# --- what is uploaded ----------------------------------------------------------------------

TEMPLATE_UPLOAD = "The survey template (or its CSV files)"
EXPORT_UPLOAD = "A survey-tool export, with its mapping"


def template_upload() -> tuple[bytes, str] | None:
    uploaded = st.file_uploader(
        "Survey workbook (.xlsx), or one CSV file per sheet",
        type=["xlsx", "csv"],
        accept_multiple_files=True,
        key=f"survey_upload_{st.session_state.get(UPLOADER_ROUND, 0)}",
        help="The template filled in. Macro-enabled (.xlsm) and old (.xls) files are refused. "
        "CSV files: choose Areas.csv and Programmes.csv together.",
    )
    if not uploaded:
        return None
    combined = combine_upload({f.name: f.getvalue() for f in uploaded})
    if combined is None:
        st.error("Upload either one .xlsx workbook, or the survey's CSV files together.")
    return combined


def export_upload() -> tuple[bytes, str] | None:
    """The export and its mapping as one import file, after showing what will be read from
    which cell; None until both are given and the mapping can be used."""
    st.caption(
        "One row per response, as Microsoft Forms, SmartSurvey, Snap or Qualtrics export them "
        "(CSV or .xlsx), and the mapping saying which column answers which question: see "
        "docs/importing.md, or write a first one with `landscape import EXPORT --suggest`."
    )
    round_number = st.session_state.get(UPLOADER_ROUND, 0)
    export = st.file_uploader(
        "Survey-tool export (.csv or .xlsx)", type=["csv", "xlsx"], key=f"export_{round_number}"
    )
    mapping_file = st.file_uploader(
        "Mapping (.toml)", type=["toml"], key=f"export_mapping_{round_number}"
    )
    if export is None or mapping_file is None:
        return None
    data, mapping_bytes = export.getvalue(), mapping_file.getvalue()
    try:
        mapping = read_mapping(mapping_bytes, mapping_file.name)
        preview = preview_of(data, export.name, mapping)
    except LandscapeError as refusal:
        show_refusal(refusal)
        return None
    st.markdown("**What will be read, from which cell** (nothing is kept until you publish)")
    st.dataframe(preview, hide_index=True, width="stretch")
    return bundle_import(data, export.name, mapping_bytes), import_filename(export.name)


def _round_done(message: str) -> None:
    st.session_state[ROUND_MESSAGE] = message
    st.rerun()


def _reset() -> None:
    st.session_state[UPLOADER_ROUND] = st.session_state.get(UPLOADER_ROUND, 0) + 1
    st.rerun()


def _refresh_dashboard() -> None:
    """Make the sidebar's wave selector offer the new wave at once."""
    data.refresh_waves()


def main() -> None:
    ensure_app_navigation()
    st.title("Upload a survey", anchor=False)
    st.caption(
        "Publish a new survey wave, or correct your area's answers. Every upload is checked "
        "first; nothing is stored until you publish, and earlier waves are never overwritten."
    )
    guide = survey_round.offices_guide()
    if guide is not None:
        st.markdown(
            "**PCC offices:** returning your area's answers in a survey round? Open the guide "
            "below: how to get your return, what to fill in and what happens after you upload it."
        )
        with st.expander(guide.title, icon=":material/menu_book:"):
            st.markdown(guide.body)
    store = auth.store()
    current = store.current_wave()
    if current is not None:
        # the current wave as the store recorded it (the page reads the store, not ui.data)
        current_kind = current.wave_kind
        kind_banner(current_kind, current_kind.mix, figure_statements(current_kind.differs))

    st.subheader("1. Download the template", anchor=False)
    st.download_button(
        "Download the survey template (.xlsx)",
        template_workbook_bytes(),
        file_name="landscape-survey-template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="template_download",
    )

    st.subheader("2. Sign in", anchor=False)
    principal = auth.sign_in_panel()
    if principal is None:
        st.caption("Anyone can read the dashboard; publishing needs an account.")
        return

    round_section(principal)
    if principal.role is not Role.ADMIN:
        # only administrators publish (the store refuses anyone else on every route)
        st.info(
            "Only APCC administrators publish waves. Your area's answers reach the dashboard "
            "as your return in a survey round, once the APCC accepts and publishes it."
        )
        return

    st.subheader("3. Upload your workbook", anchor=False)
    if PUBLISHED in st.session_state:
        st.success(plain(st.session_state.pop(PUBLISHED)), icon=":material/check_circle:")
    kind = st.radio(
        "What are you uploading?",
        [TEMPLATE_UPLOAD, EXPORT_UPLOAD],
        key="upload_kind",
        horizontal=True,
    )
    combined = export_upload() if kind == EXPORT_UPLOAD else template_upload()
    if combined is None:
        return
    data, filename = combined
    try:
        prepared = store.prepare_upload(data, filename, principal)
    except LandscapeError as refusal:
        show_refusal(refusal)
        return
    if prepared.duplicate_of is not None:
        wave = prepared.duplicate_of
        st.info(
            plain(
                f"This file is identical to wave {wave.wave_id} ({wave.title}), published by "
                f"{wave.uploaded_by} on {wave.uploaded_at:%d %B %Y at %H:%M} UTC. "
                "There is nothing new to publish."
            )
        )
        return
    if prepared.scope.summary:
        st.info(plain(prepared.scope.summary))
    base_survey = store.load_survey(prepared.base.wave_id) if prepared.base else None
    show_preview(prepared, preview_changes(base_survey, prepared.survey))
    st.subheader("4. Publish", anchor=False)
    publish_form(prepared, principal, data)


main()

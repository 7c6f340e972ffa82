"""Upload a survey: template, sign-in, upload, problems or preview, then publish or cancel.

Thin: validation, access rules, the preview and publishing are all `landscape` calls; this page
gathers input and renders. Data text is shown through escaping elements only.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from landscape.errors import LandscapeError, Problem
from landscape.figures.export import xlsx_bytes
from landscape.intake.template import template_workbook_bytes
from landscape.intake.uploads import combine_upload
from landscape.intake.validate import problems_frame
from landscape.model.diff import UploadPreview, preview_changes
from landscape.store import PreparedUpload
from landscape.store.access import Principal, Role
from ui import auth, data
from ui.layout import ensure_app_navigation, illustrative_banner, plain

UPLOADER_ROUND = "upload_round"
PUBLISHED = "upload_published_message"


def error_summary(problems: list[Problem], intro: str = "") -> None:
    """The GOV.UK error summary: "There is a problem", then each problem where it is."""
    with st.container(border=True):
        st.subheader("There is a problem", anchor=False)
        if intro:
            st.markdown(plain(intro))
        st.markdown(
            "\n".join(
                f"- **{plain(p.location)}**: {plain(p.message)}. {plain(p.fix)}"
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
    against = f"the current wave ({base.title})" if base else "an empty store"
    st.subheader("What will change", anchor=False)
    st.markdown(plain(f"Compared with {against}: {preview.summary}."))
    if not preview.has_changes:
        st.info("This upload holds the same answers as the current wave.")
    for title, frame in (
        ("Areas", preview.areas_table()),
        ("Programmes", preview.programmes_table()),
        ("Figures that move", preview.figures_table()),
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
    store = auth.store()
    current = store.current_wave()
    if current is not None and current.illustrative:
        illustrative_banner()

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

    st.subheader("3. Upload your workbook", anchor=False)
    if PUBLISHED in st.session_state:
        st.success(plain(st.session_state.pop(PUBLISHED)), icon=":material/check_circle:")
    uploaded = st.file_uploader(
        "Survey workbook (.xlsx), or one CSV file per sheet",
        type=["xlsx", "csv"],
        accept_multiple_files=True,
        key=f"survey_upload_{st.session_state.get(UPLOADER_ROUND, 0)}",
        help="The template filled in. Macro-enabled (.xlsm) and old (.xls) files are refused. "
        "CSV files: choose Areas.csv and Programmes.csv together.",
    )
    if not uploaded:
        return
    combined = combine_upload({f.name: f.getvalue() for f in uploaded})
    if combined is None:
        st.error("Upload either one .xlsx workbook, or the survey's CSV files together.")
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
    base_survey = store.load_survey(prepared.base.wave_id) if prepared.base else None
    show_preview(prepared, preview_changes(base_survey, prepared.survey))
    st.subheader("4. Publish", anchor=False)
    publish_form(prepared, principal, data)


main()

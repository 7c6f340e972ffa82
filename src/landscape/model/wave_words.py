"""What the pages say about the wave shown: its source line and its method, from its kind.

The APCC's 2025 method (a survey of PCC offices, 33 of 43 areas answering, published on 7 March
2025: report, Methodology) describes a wave tied to that report; any other wave is described as
what it is: its own answers, how many areas gave them, and what kinds its values are.
"""

from __future__ import annotations

from landscape.model.wave_kind import WaveBasis, WaveKind

_SOURCE_WORDS = {
    WaveBasis.ILLUSTRATIVE: "an illustrative wave (invented where no public source speaks)",
    WaveBasis.REPORTED: "PCC offices' own survey answers",
    WaveBasis.SOURCED: "values stated by public documents",
    WaveBasis.MIXED: "PCC offices' own survey answers beside values of other kinds",
    WaveBasis.CORRECTED: "PCC offices' own survey answers",
}


def source_of(label: str, kind: WaveKind) -> str:
    """Where the figures of a wave come from, as a source line says it."""
    what = _SOURCE_WORDS[kind.basis]
    if kind.corrects:
        what = f"a correction: {what}"
    title = kind.report_title
    if title is None:
        return f"Wave '{label}': {what}, on the APCC survey's questions (the survey template)"
    if kind.calibrated and kind.illustrative:
        return f"Wave '{label}': {what}, calibrated to the published figures of the {title}"
    if kind.calibrated:
        return f"Wave '{label}': {what}, giving every published figure of the {title}"
    return f"Wave '{label}': {what}, set beside the {title}; it no longer gives all its figures"


APCC_2025_METHOD = """
The APCC surveyed the offices of all Police and Crime Commissioners (and Police, Fire and Crime
Commissioners and mayors with policing responsibility) in England and Wales, with the NPCC, the
College of Policing and the Home Office. 33 of the 43 force areas responded; only areas that
commission perpetrator programmes answered. The report was published on 7 March 2025.
"""

BUNDLED_WAVE_NOTE = """
**The per-area answers are not public.** The bundled wave is *illustrative*: each value is real
where a public document says so (the value cites it, *Sourced*) and invented elsewhere
(*Illustrative*), calibrated so that the model reproduces every figure the report published. Use
it to explore the dashboard, never to quote an area's answers.
"""


def method_text(label: str, kind: WaveKind, *, responding: int, areas: int) -> str:
    """The About page's methodology for the wave shown (Markdown, `label` already escaped)."""
    own = (
        f"**This wave** ('{label}') holds the answers of {responding} of the {areas} force areas. "
        f"It is {kind.describe()}."
    )
    if kind.basis is WaveBasis.ILLUSTRATIVE and kind.calibrated:
        return APCC_2025_METHOD + BUNDLED_WAVE_NOTE + "\nNew waves can be uploaded by signed-in "
        "staff; each says what kinds of value it holds.\n"
    if kind.report_title is not None:
        return (
            APCC_2025_METHOD
            + "\n"
            + own
            + " It corrects a wave calibrated to that report: the report-figure check below "
            "names each figure it no longer gives.\n"
        )
    return (
        own + " It is not the APCC's 2025 survey: it was uploaded to this dashboard on the same "
        "questions (the survey template), and its figures are compared with the wave before it, "
        "never with the 2025 report. Each value's provenance is in the area profile, the "
        "directory and the downloads.\n"
    )


def kind_word(kind: WaveKind) -> str:
    """The wave's kind in one word or two, as a heading names it: 'illustrative', 'reported',
    'mixed', 'a correction (mixed)'."""
    word = "reported" if kind.basis is WaveBasis.CORRECTED else kind.basis.value
    return f"a correction ({word})" if kind.corrects else word


def comparison_note(before: WaveKind, after: WaveKind) -> str:
    """What a comparison between two waves must say when they are of different kinds (empty
    when they are of one kind): a change between an invented value and an area's own answer is
    a difference between two files, not a change on the ground."""
    if before.basis == after.basis and before.illustrative == after.illustrative:
        return ""
    invented = " (it holds invented values)" if before.illustrative else ""
    later = " (it holds invented values)" if after.illustrative and not before.illustrative else ""
    return (
        f"The earlier wave is {kind_word(before)}{invented} and the later one is "
        f"{kind_word(after)}{later}: a change between them is a difference between the two "
        "waves' values, not necessarily a change in what areas commission."
    )

"""Victims and governance: victim support approaches, risk forums, strategic boards, monitoring."""

from ui import data, layout

chosen = layout.start_page()
key = chosen.key
cover = data.coverage(key)

layout.stop_unless_respondents(
    chosen,
    subject="victim support and governance answers",
    page_label="Victims and governance",
)

top = data.most_given_victim_support(key)
marac = data.measure(key, "marac")
layout.page_header(
    f"{marac.text} use MARAC to manage perpetrator risk",
    f"Victim support and governance · out of {cover.responding} responding areas "
    f"({cover.not_responding} of {cover.areas} did not respond)",
    filters=chosen,
    figures=("marac",),
)

support_label = data.headline_basis(key)
layout.chart_section(
    f"How victims are supported alongside perpetrator programmes: {top.label} use "
    f"{top.in_sentence} ({support_label})",
    data.victim_support_shares(key, "Responding areas using each victim support approach"),
    name="victim-support",
    caption="Areas may use several approaches, so shares add to more than 100%.",
)
layout.chart_section(
    "Operational risk forums: MARAC, MATAC, DAPP",
    data.risk_forum_shares(key, "Responding areas using each operational risk forum"),
    name="risk-forums",
)
layout.chart_section(
    "Strategic boards",
    data.strategic_board_shares(
        key, "Responding areas with a strategic board overseeing perpetrator interventions"
    ),
    name="strategic-boards",
)
layout.chart_section(
    "How often performance is monitored",
    data.monitoring_shares(
        key, "Monitoring frequency of commissioned programmes (responding areas)"
    ),
    name="monitoring",
)
layout.source_note()

"""Victims and governance: victim support approaches, risk forums, strategic boards, monitoring."""

from landscape.model import breakdowns
from ui import data, layout

chosen, model = layout.start_page()
key = chosen.key
cover = breakdowns.coverage(model)
figures = data.measures(key)

layout.stop_unless_respondents(
    model,
    chosen,
    subject="victim support and governance answers",
    page_label="Victims and governance",
)

support = data.table(key, "area_choice_shares", "victim_support")
top = support.sort_values("areas", ascending=False, kind="stable").iloc[0]
marac = figures["marac"]
layout.page_header(
    f"{marac.text} use MARAC to manage perpetrator risk; {top['label']} offer victims "
    f"{str(top['answer']).lower()}",
    f"Victim support and governance · out of {cover.responding} responding areas "
    f"({cover.not_responding} of {cover.areas} did not respond)",
    model=model,
    filters=chosen,
)

layout.area_question_section(
    key,
    "victim_support",
    "How victims are supported alongside perpetrator programmes",
    title="Responding areas using each victim support approach",
    name="victim-support",
    caption="Areas may use several approaches, so shares add to more than 100%.",
)
layout.area_question_section(
    key,
    "risk_forums",
    "Operational risk forums: MARAC, MATAC, DAPP",
    title="Responding areas using each operational risk forum",
    name="risk-forums",
)
layout.area_question_section(
    key,
    "strategic_board",
    "Strategic boards",
    title="Responding areas with a strategic board overseeing perpetrator interventions",
    name="strategic-boards",
)
layout.area_question_section(
    key,
    "monitoring_frequency",
    "How often performance is monitored",
    title="Monitoring frequency of commissioned programmes (responding areas)",
    name="monitoring",
)
layout.source_note()

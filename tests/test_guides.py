"""The written guides issue 10 asks for: docs/deployment.md says how accounts, their roles and
survey rounds are set up, each under its own heading; docs/offices.md takes an office through a
round. (The Upload page showing the office guide is tested in test_upload_page.)"""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def sections(path: Path) -> dict[str, str]:
    """Each `## ` heading of a Markdown file and the text under it, up to the next one."""
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def test_the_deployment_guide_has_sections_on_accounts_and_roles_and_on_rounds():
    found = sections(DOCS / "deployment.md")
    accounts = found["Accounts and roles (username and password)"]
    assert "- `admin`: an APCC administrator" in accounts
    assert "- `area`: an area office, bound to one force area" in accounts
    assert 'role = "admin"' in accounts and 'role = "area"' in accounts
    assert "landscape hash-password" in accounts
    rounds = found["Survey rounds"]
    for command in ("round open", "round status", "round accept", "round publish"):
        assert f"landscape {command}" in rounds, command
    assert "one `area` account per office" in " ".join(rounds.split())
    assert "[the guide for area offices](offices.md)" in rounds
    assert "*Did not respond*" in rounds


def test_the_office_guide_goes_from_getting_the_return_to_after_the_deadline():
    assert list(sections(DOCS / "offices.md")) == [
        "1. Get your return",
        "2. Fill it in",
        "3. Upload and check",
        "4. Submit",
        "5. After the deadline",
    ]

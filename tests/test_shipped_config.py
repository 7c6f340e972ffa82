"""The shipped .streamlit/config.toml is safe as it stands, the installed Streamlit reads it so,
and docs/deployment.md's production settings say the same."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from landscape.intake.workbook import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".streamlit" / "config.toml"
DEPLOYMENT = ROOT / "docs" / "deployment.md"
MEGABYTE = 1024 * 1024  # Streamlit counts maxUploadSize in MiB (value * 1024 * 1024 bytes)

HARDENING = {
    "client.showErrorDetails": "none",  # no exception type, message or traceback in the browser
    "client.showErrorLinks": False,  # no "ask Google / ChatGPT" links under an error
    "client.toolbarMode": "viewer",  # no developer menu, rerun or deploy button
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.enableStaticServing": False,
    "server.enableAgentApi": False,
    "server.fileWatcherType": "none",
    "server.runOnSave": False,
    "server.headless": True,
    "server.maxUploadSize": 5,
    "browser.gatherUsageStats": False,
    # set, so start-up does not look up the machine's internal and external IP addresses
    "browser.serverAddress": "localhost",
}
THEME = {
    "base": "light",
    "primaryColor": "#12436D",
    "backgroundColor": "#FFFFFF",
    "secondaryBackgroundColor": "#F3F2F1",
    "textColor": "#0B0C0C",
    "font": "sans-serif",
    "headingFontSizes": ["2rem", "1.5rem", "1.25rem"],
}


def shipped() -> dict[str, Any]:
    with CONFIG.open("rb") as handle:
        return tomllib.load(handle)


def option(config: dict[str, Any], key: str) -> Any:
    section, name = key.split(".")
    return config.get(section, {}).get(name)


def leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in leaves(item)]
    return [value]


@pytest.mark.parametrize("key", list(HARDENING))
def test_the_shipped_config_sets_each_hardening_option(key):
    assert option(shipped(), key) == HARDENING[key]


def test_the_upload_cap_fits_a_survey_and_never_exceeds_what_the_validator_reads():
    size = shipped()["server"]["maxUploadSize"]
    bundled = max(f.stat().st_size for f in (ROOT / "data" / "survey").glob("*.xlsx"))
    assert size * MEGABYTE >= 50 * bundled  # ample room: the bundled wave is about 45 KB
    # one limit: the server takes exactly what the validator reads (a higher cap would only hold
    # useless bytes, a lower one would refuse files the CLI accepts)
    assert size * MEGABYTE == MAX_FILE_BYTES


def test_the_theme_is_kept_and_nothing_is_fetched_from_another_host():
    config = shipped()
    assert {k: config["theme"].get(k) for k in THEME} == THEME
    assert "fontFaces" not in config["theme"]  # a font face would be fetched by URL
    texts = [leaf for leaf in leaves(config) if isinstance(leaf, str)]
    assert not [text for text in texts if re.search(r"https?:|//", text)]


def test_the_installed_streamlit_reads_each_option_from_the_shipped_file(tmp_path):
    """Accepted values and spelling: a misspelt key or an unknown value would not come through."""
    code = f"""
import json
from streamlit import config
config.get_config_options(force_reparse=True)
keys = {list(HARDENING)!r}
print(json.dumps({{k: [config.get_option(k), config.get_where_defined(k)] for k in keys}}))
print(json.dumps([o.value for o in config.ShowErrorDetailsConfigOptions]))
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},  # no user-wide config
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    effective_line, accepted_line = result.stdout.strip().splitlines()[-2:]
    effective = json.loads(effective_line)
    for key, expected in HARDENING.items():
        value, where = effective[key]
        assert value == expected, key
        assert Path(where) == CONFIG, f"{key} comes from {where}"
    assert HARDENING["client.showErrorDetails"] in json.loads(accepted_line)


def documented_settings() -> dict[str, Any]:
    """The TOML block of docs/deployment.md's "Streamlit hardening" section."""
    text = DEPLOYMENT.read_text(encoding="utf-8")
    section = text.split("## Streamlit hardening", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert block, "the hardening section has no toml block"
    return tomllib.loads(block.group(1))


def test_the_deployment_guide_shows_the_shipped_values():
    documented = documented_settings()
    keys = [f"{section}.{name}" for section, table in documented.items() for name in table]
    assert set(HARDENING) <= set(keys)  # every hardening option is explained there
    config = shipped()
    assert {k: option(documented, k) for k in keys} == {k: option(config, k) for k in keys}

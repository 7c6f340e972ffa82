"""Debian's nginx in front of dashboard processes, started from the shipped deploy/nginx files.

The shipped landscape.conf is used as it is, with only its upstream addresses, its listening
port (a free one on 127.0.0.1) and its log path replaced, each replacement checked to happen
exactly once; brotli.conf is included where Debian's brotli module is installed, as the
deployment notes say. nginx runs in the foreground with its own prefix, temporary folders, pid
file and logs in a temporary folder of /tmp (pytest's own folders are private to root, so the
unprivileged user could not reach them), never as root (as `nobody` when the tests run as root);
it is stopped and its folder deleted at the end.

Without nginx the proxy cases are skipped, unless LANDSCAPE_REQUIRE_NGINX=1 (CI sets it).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser_support import wait_until_healthy

ROOT = Path(__file__).resolve().parents[1]
NGINX = Path("/usr/sbin/nginx")
SHIPPED = ROOT / "deploy" / "nginx" / "landscape.conf"
BROTLI_SNIPPET = ROOT / "deploy" / "nginx" / "brotli.conf"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
MIME_TYPES = Path("/etc/nginx/mime.types")
REQUIRE_ENV = "LANDSCAPE_REQUIRE_NGINX"
SHIPPED_UPSTREAMS = ("127.0.0.1:8501", "127.0.0.1:8502")
UNPRIVILEGED_USER = "nobody"


def require_nginx() -> None:
    """Skip when Debian's nginx is absent, unless LANDSCAPE_REQUIRE_NGINX=1 (then fail)."""
    if NGINX.exists() and MIME_TYPES.exists():
        return
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but Debian's nginx is not installed (apt-get install nginx)")
    pytest.skip("Debian's nginx (/usr/sbin/nginx) is not installed")


def brotli_available() -> bool:
    return BROTLI_MODULE.exists()


@dataclass(frozen=True)
class Proxy:
    base: str
    access_log: Path
    brotli: bool

    def log_lines(self) -> list[str]:
        return self.access_log.read_text().splitlines() if self.access_log.exists() else []


def replaced_once(text: str, old: str, new: str) -> str:
    """`text` with its one `old` replaced; a shipped file that changed shape fails loudly."""
    if text.count(old) != 1:
        raise AssertionError(f"{SHIPPED.name} should hold {old!r} exactly once")
    return text.replace(old, new)


def site_config(upstreams: Sequence[str], port: int, access_log: Path) -> str:
    """The shipped site configuration aimed at the test's processes, port and log."""
    if len(upstreams) != len(SHIPPED_UPSTREAMS):
        raise ValueError(f"the shipped file names {len(SHIPPED_UPSTREAMS)} upstream processes")
    text = SHIPPED.read_text()
    for shipped, upstream in zip(SHIPPED_UPSTREAMS, upstreams, strict=True):
        text = replaced_once(text, f"server {shipped} ", f"server {upstream} ")
    text = replaced_once(text, "listen 80;", f"listen 127.0.0.1:{port};")
    text = replaced_once(text, "    listen [::]:80;\n", "")
    return replaced_once(
        text, "/var/log/nginx/landscape.access.log landscape;", f"{access_log} landscape;"
    )


def main_config(root: Path, site: Path, brotli: bool) -> str:
    """An nginx.conf of the test's own: Debian's module and mime types, everything else under
    `root` (nginx's compiled-in paths are under /var, which only root may write)."""
    temp = {name: root / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for folder in temp.values():
        folder.mkdir(exist_ok=True)
    modules = f"load_module {BROTLI_MODULE};\n" if brotli else ""
    snippet = ""
    if brotli:  # a copy: the checkout may be out of the unprivileged user's reach
        shutil.copy(BROTLI_SNIPPET, root / BROTLI_SNIPPET.name)
        snippet = f"    include {root / BROTLI_SNIPPET.name};\n"
    return (
        f"{modules}worker_processes 1;\ndaemon off;\npid {root}/nginx.pid;\n"
        f"error_log {root}/error.log warn;\n"
        "events { worker_connections 512; }\n"
        "http {\n"
        f"    include {MIME_TYPES};\n"
        "    default_type application/octet-stream;\n"
        f"    client_body_temp_path {temp['client_body']};\n"
        f"    proxy_temp_path {temp['proxy']};\n"
        f"    fastcgi_temp_path {temp['fastcgi']};\n"
        f"    uwsgi_temp_path {temp['uwsgi']};\n"
        f"    scgi_temp_path {temp['scgi']};\n"
        f"{snippet}"
        f"    include {site};\n"
        "}\n"
    )


@contextmanager
def nginx_proxy(upstreams: Sequence[str], port: int) -> Iterator[Proxy]:
    """nginx on 127.0.0.1:`port` in front of `upstreams` ("host:port"), with the shipped files."""
    require_nginx()
    root = Path(tempfile.mkdtemp(prefix="landscape-nginx-"))
    brotli = brotli_available()
    site = root / "landscape.conf"
    access_log = root / "access.log"
    site.write_text(site_config(upstreams, port, access_log))
    conf = root / "nginx.conf"
    conf.write_text(main_config(root, site, brotli))
    command = [str(NGINX), "-p", str(root), "-c", str(conf), "-e", str(root / "error.log")]
    if os.geteuid() == 0:  # nginx never runs as root here: the prefix belongs to `nobody`
        account = pwd.getpwnam(UNPRIVILEGED_USER)
        for path in [root, *root.rglob("*")]:
            os.chown(path, account.pw_uid, account.pw_gid)
        command = ["runuser", "-u", UNPRIVILEGED_USER, "--", *command]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t refused the configuration: {checked.stderr}")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        # its error log names the cause if it exits or never answers
        wait_until_healthy(base, process, timeout_s=30, log_path=root / "error.log", name="nginx")
        yield Proxy(base=base, access_log=access_log, brotli=brotli)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)

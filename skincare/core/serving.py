"""Run the production web server command on a database of its own: shared by the load bench
(bench/api_bench.py) and the schema fuzzer (scripts/fuzz.py). No Django import: these run outside the app."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
SERVER_COMMAND = "scripts/web.sh"


def postgres_server_url() -> str | None:
    """The maintenance database of the PostgreSQL server in DATABASE_URL (or the local one); None when unreachable."""
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    url = urlunparse(urlparse(url)._replace(path="/postgres"))
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error:
        return None
    return url


def own_database(name: str, *, create: bool) -> str | None:
    """Drop the database `name` (and make it anew when `create`); its URL, or None without a PostgreSQL server."""
    import psycopg

    server = postgres_server_url()
    if server is None:
        return None
    with psycopg.connect(server, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(urlparse(server)._replace(path=f"/{name}"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_web(
    env: dict, port: int, log_path: Path, command: str = SERVER_COMMAND, timeout: float = 90, ready: str = "/readyz"
):
    """Start `command` (bash) with WEB_PORT=port in its own process group; wait until `ready` answers 200."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")  # noqa: SIM115 - handed to the child
    env = {**env, "WEB_PORT": str(port), "PORT": str(port)}
    proc = subprocess.Popen(
        ["bash", "-c", command], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited early:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready}", timeout=2) as resp:  # noqa: S310
                if resp.status == 200:
                    return proc
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    stop(proc)
    raise SystemExit(f"the server did not answer {ready} in {timeout:.0f} s:\n{log_path.read_text()[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group, SIGKILL after 20 s."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

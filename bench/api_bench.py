"""The API under load, served by the production server command (standalone: `python bench/api_bench.py`).

What it does, in one run:
1. Creates a PostgreSQL database of its own (`skincare_bench_api`, dropped at the end), migrates it, loads the
   bundled data, and seeds one user with 20 analyses (real engine runs on scikit-image's astronaut photo),
   5 routines (the real routine builder), 20 shelf items and 20 notifications.
2. Starts the production server command (`scripts/web.sh`, the same one Procfile, Dockerfile and
   docker-compose run; `--server-cmd` to bench another one) on this machine's PostgreSQL and Redis, with
   throttles raised by environment so that the load is served, not refused.
3. A burst: 300 GETs of /api/v1/auth/me from 16 threads, counting the status codes.
4. wrk (from Debian: installed with apt-get when missing and root) against /healthz, the baseline measured in
   the same run, and GET auth/me, analysis/history, products?q=, routine/my-routines, notifications, plus
   POST ingredients/analyze, at 16, 64 and 256 connections. Prints requests/s, p50/p99, errors (socket errors,
   timeouts and non-2xx answers), 5xx answers, the ratio to /healthz at the same level (measured again after each
   row: the ratio is against the mean of the /healthz runs just before and just after it), and the peak number of
   PostgreSQL connections to the bench database (pg_stat_activity, polled every 50 ms during each run).
   Each run follows --warmup seconds (2) of the same load: its speed is not counted (the read cache fills while
   every connection misses at once), its errors and connections are.
   With Redis the read cache and the user cache are on, as in production: the repeated GETs are cache hits.
5. The same GETs again at --cold-level connections (16) on a server with both caches off, so every request does all
   of its work (authentication query, queries, serializers): the cost of a cache miss.

Targets on the 2-core development machine (issue 14): 0 errors at every level; authenticated GETs >= 0.35x
/healthz; p99 <= 100 ms at 16 connections; peak connections <= WEB_CONCURRENCY x DB_POOL_MAX_SIZE.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from skincare.core.serving import free_port, own_database, start_web, stop  # noqa: E402

BENCH_DB = "skincare_bench_api"
PASSWORD = "Bench-Pass-2026!"
EMAIL = "bench@example.com"


def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: installing the Debian package with apt-get")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"], env=env, check=False)
        return shutil.which("wrk")
    print("skipped: wrk is not installed (sudo apt-get install wrk)")
    return None


# --- seeding ---------------------------------------------------------------------------------------------
def seed(env: dict) -> None:
    """Migrate, load bundled data and seed the bench user, in this process, on the bench database."""
    os.environ.update(env)
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"  # the 20 analyses really run, here, before the server starts
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skincare.settings")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("setup_project", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"migrated and loaded bundled data in {time.perf_counter() - started:.1f} s")

    import io

    import numpy as np
    from django.db import connections
    from PIL import Image
    from skimage import data as skdata

    from accounts.services import notification_create, user_create
    from analysis.models import SkinAnalysis
    from analysis.services import analysis_create, photo_consent_record
    from ingredients.models import Product
    from routines.services import routine_generate, shelf_item_create

    started = time.perf_counter()
    user = user_create(email=EMAIL, password=PASSWORD, first_name="Bench", last_name="User")
    photo_consent_record(user=user)
    face = np.ascontiguousarray(skdata.astronaut())
    for i in range(20):
        # Slightly different photos (brightness), so the 20 results are 20 real measurements.
        img = np.clip(face.astype(np.int16) + (i - 10), 0, 255).astype(np.uint8)
        out = io.BytesIO()
        Image.fromarray(img).save(out, format="JPEG", quality=92)
        analysis_create(user=user, data=out.getvalue())
    done = SkinAnalysis.objects.filter(user=user, status="done").count()
    for period in ("am", "pm", "am", "pm", "am"):
        routine_generate(user=user, period=period)
    for product in Product.objects.order_by("brand", "name")[:20]:
        shelf_item_create(user=user, product=product, opened_on=None, pao_months=12)
    for i in range(20):
        notification_create(user=user, kind="bench", title=f"Notification {i}", body="Seeded by the bench.")
    print(
        f"seeded 1 user: {done}/20 analyses done, 5 routines, 20 shelf items, 20 notifications "
        f"in {time.perf_counter() - started:.1f} s"
    )
    for conn in connections.all():  # this process's pool too: only the server's connections are counted
        conn.close()
        if getattr(conn, "pool", None) is not None:
            conn.close_pool()


def login(base: str) -> str:
    req = urllib.request.Request(
        base + "/api/v1/auth/login",
        data=json.dumps({"email": EMAIL, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=20) as resp:
        body = json.loads(resp.read())
    return body["access"]


def burst(base: str, token: str, n: int = 300, threads: int = 16) -> Counter:
    def one(_):
        req = urllib.request.Request(base + "/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            return type(exc).__name__

    with ThreadPoolExecutor(threads) as pool:
        return Counter(pool.map(one, range(n)))


# --- wrk -------------------------------------------------------------------------------------------------
LUA = r"""
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
local statuses = {}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) fivexx = 0 end
function response(status, headers, body)
  if status >= 500 then fivexx = fivexx + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("fivexx") end
  io.write(string.format("BENCH p50=%f p99=%f fivexx=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, total))
end
"""


class PeakConnections(threading.Thread):
    """Polls pg_stat_activity for client connections to the bench database (this poller's own excluded)."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = url
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.is_set():
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
                    " AND backend_type = 'client backend'",
                    [BENCH_DB],
                ).fetchone()
                self.peak = max(self.peak, row[0] if row else 0)
                time.sleep(0.05)


def run_wrk(wrk: str, url: str, connections: int, duration: int, lua: str, env: dict, pg_url: str) -> dict:
    threads = min(connections, max(2, os.cpu_count() or 2))
    poller = PeakConnections(pg_url)
    poller.start()
    out = subprocess.run(
        [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s", "-s", lua, url],
        env=env,
        capture_output=True,
        text=True,
    )
    poller.stop.set()
    poller.join()
    text = out.stdout + out.stderr
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    bench = re.search(r"BENCH p50=([\d.]+) p99=([\d.]+) fivexx=(\d+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    total = re.search(r"(\d+) requests in", text)
    if not (rps and bench and total):
        raise SystemExit(f"could not read wrk's output:\n{text}")
    errors = int(non2xx.group(1)) if non2xx else 0
    kinds = {"non-2xx": errors} if errors else {}
    if sock:
        errors += sum(int(g) for g in sock.groups())
        named = zip(("connect", "read", "write", "timeout"), sock.groups(), strict=True)
        kinds.update({kind: int(n) for kind, n in named if int(n)})
    return {
        "rps": float(rps.group(1)),
        "p50": float(bench.group(1)),
        "p99": float(bench.group(2)),
        "5xx": int(bench.group(3)),
        "errors": errors,
        "error_kinds": kinds,
        "requests": int(total.group(1)),
        "peak_pg": poller.peak,
    }


ENDPOINTS = [
    ("/healthz", "GET", "/healthz", None),
    ("auth/me", "GET", "/api/v1/auth/me", None),
    ("analysis/history", "GET", "/api/v1/analysis/history", None),
    ("products?q=", "GET", "/api/v1/products?q=cream&page_size=20", None),
    ("routine/my-routines", "GET", "/api/v1/routine/my-routines", None),
    ("notifications", "GET", "/api/v1/notifications", None),
    (
        "POST ingredients/analyze",
        "POST",
        "/api/v1/ingredients/analyze",
        json.dumps({"text": "Aqua, Glycerin, Niacinamide, Salicylic Acid, Parfum, Limonene, Linalool"}),
    ),
]


def _replacements(log_path) -> int:
    """How many workers gunicorn has replaced after their --max-requests so far, from its log (0 without one)."""
    if log_path is None or not Path(log_path).exists():
        return 0
    return Path(log_path).read_text(errors="replace").count("Maximum request limit")


def drive(wrk, base, token, levels, duration, lua, db_url, endpoints, warmup=2, log_path=None, bracket=4) -> dict:
    """Each endpoint at each level: `warmup` seconds of the same load whose speed is not counted (the first answers
    of a run fill the read cache, with every connection missing at once), then the measured run. Errors, 5xx and
    peak connections count the warm-up too. `repl`: the worker processes replaced after their --max-requests during
    the row's warm-up and run (from the server's log at `log_path`).

    The first endpoint is the baseline (/healthz). It runs first, then again for `bracket` seconds after each other
    row, and each row's ratio is against the mean of the two baseline runs on either side of it (`base`): this
    machine's speed drifts by a fifth within a minute, and a baseline measured once per level, a minute before the
    last row, made the ratio of the same code move by that much between runs. The table's baseline row is its first
    run; every baseline run's errors count."""
    print(
        f"{'endpoint':26} {'conns':>5} {'req/s':>8} {'base':>8} {'ratio':>6} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} {'5xx':>5} {'peak pg':>7} {'repl':>4}"
    )
    results: dict = {}

    def measure(method, path, body, level, seconds, warm_seconds) -> dict:
        wenv = dict(
            os.environ, BENCH_METHOD=method, BENCH_TOKEN="" if path == "/healthz" else token, BENCH_BODY=body or ""
        )
        replaced = _replacements(log_path)
        warm = run_wrk(wrk, base + path, level, warm_seconds, str(lua), wenv, db_url) if warm_seconds else None
        r = run_wrk(wrk, base + path, level, seconds, str(lua), wenv, db_url)
        if warm:  # its errors and connections count: only its speed is left out
            r.update(
                errors=r["errors"] + warm["errors"],
                error_kinds=dict(Counter(r["error_kinds"]) + Counter(warm["error_kinds"])),
                **{"5xx": r["5xx"] + warm["5xx"]},
                peak_pg=max(r["peak_pg"], warm["peak_pg"]),
            )
        r["replaced"] = _replacements(log_path) - replaced
        return r

    def show(name, level, r, baseline) -> None:
        ratio = r["rps"] / baseline if baseline else 0.0
        print(
            f"{name:26} {level:5d} {r['rps']:8.1f} {baseline:8.1f} {ratio:6.2f} {r['p50']:8.1f} {r['p99']:8.1f} "
            f"{r['errors']:6d} {r['5xx']:5d} {r['peak_pg']:7d} {r['replaced']:4d}"
            + (f"  errors: {r['error_kinds']}" if r["errors"] else ""),
            flush=True,
        )

    for level in levels:
        (base_name, *base_call), *rows = endpoints
        before = measure(*base_call, level, duration, warmup)
        results[(base_name, level)] = before
        show(base_name, level, before, before["rps"])
        for name, method, path, body in rows:
            r = measure(method, path, body, level, duration, warmup)
            after = measure(*base_call, level, bracket, 0)
            results[(f"{base_name} after {name}", level)] = after  # not shown; its errors count
            r["baseline"] = (before["rps"] + after["rps"]) / 2
            results[(name, level)] = r
            show(name, level, r, r["baseline"])
            before = after
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-cmd", default="scripts/web.sh", help="the server command (bash), default %(default)s")
    parser.add_argument("--levels", default="16,64,256", help="wrk connection counts")
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of load before each run, not counted")
    parser.add_argument(
        "--bracket", type=int, default=4, help="seconds of the /healthz baseline run again after each row"
    )
    parser.add_argument("--workers", default=os.environ.get("WEB_CONCURRENCY", ""), help="WEB_CONCURRENCY")
    parser.add_argument(
        "--cold-level",
        type=int,
        default=16,
        help="after the main runs, the GETs again at this level with the read and user caches off (0: skip)",
    )
    args = parser.parse_args()

    wrk = ensure_wrk()
    if wrk is None:
        return 0
    db_url = own_database(BENCH_DB, create=True)
    if db_url is None:
        print("skipped: no PostgreSQL server to bench on")
        return 0
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    port = free_port()
    high = "1000000/min"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "CACHE_PREFIX": f"bench-api-{os.getpid()}",
        "PORT": str(port),
        "WEB_PORT": str(port),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "dummymail://",
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="skincare-bench-media-"),
        "JWT_ACCESS_MINUTES": "240",
        "THROTTLE_USER": high,
        "THROTTLE_IP": high,
        "THROTTLE_LOGIN": high,
        "THROTTLE_OTP": high,
        "THROTTLE_UPLOAD": high,
        "HF_HUB_OFFLINE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    log_path = ROOT / "var" / "api_bench_server.log"
    log_path.parent.mkdir(exist_ok=True)
    proc = None
    try:
        seed(env)
        print(
            f"server: {args.server_cmd}  (WEB_CONCURRENCY={env.get('WEB_CONCURRENCY', 'default')}, "
            f"DB_POOL_MAX_SIZE={env.get('DB_POOL_MAX_SIZE', 'default')}, log {log_path.relative_to(ROOT)})"
        )
        proc = start_web(env, port, log_path, command=args.server_cmd)
        base = f"http://127.0.0.1:{port}"
        token = login(base)

        counts = burst(base, token)
        print(f"burst: 300 GETs of /api/v1/auth/me from 16 threads: {dict(sorted(counts.items(), key=str))}")

        lua = ROOT / "var" / "api_bench.lua"
        lua.write_text(LUA)
        levels = [int(x) for x in args.levels.split(",") if x]
        print(
            f"\nwrk, {args.duration} s per run after {args.warmup} s of the same load not counted; "
            "ratio = requests/s against base, the mean of the /healthz runs just before and after the row"
        )
        print("(read cache and user cache on, as in production with Redis: repeated GETs are cache hits)")
        results = drive(
            wrk, base, token, levels, args.duration, lua, db_url, ENDPOINTS, args.warmup, log_path, args.bracket
        )
        if args.cold_level:
            stop(proc)
            proc = None
            cold_env = {**env, "READ_CACHE_SECONDS": "0", "AUTH_USER_CACHE_SECONDS": "0"}
            cold_log = log_path.with_name("api_bench_server_cold.log")
            proc = start_web(cold_env, port, cold_log, command=args.server_cmd)
            print("\nthe same GETs with the read cache and the user cache off (every request does all its work):")
            cold = [e for e in ENDPOINTS if e[1] == "GET"]
            results.update(
                {
                    (f"{k[0]} (cold)", k[1]): v
                    for k, v in drive(
                        wrk,
                        base,
                        token,
                        [args.cold_level],
                        args.duration,
                        lua,
                        db_url,
                        cold,
                        args.warmup,
                        cold_log,
                        args.bracket,
                    ).items()
                }
            )
        peak = max(r["peak_pg"] for r in results.values())
        errors = sum(r["errors"] for r in results.values())
        processes = int(env.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))
        bound = processes * int(env.get("DB_POOL_MAX_SIZE") or 4)
        print(
            f"\npeak PostgreSQL connections of the server: {peak} (bound: {processes} processes x pool "
            f"{int(env.get('DB_POOL_MAX_SIZE') or 4)} = {bound}); errors in all runs: {errors}"
        )
        served = log_path.read_text(errors="replace")
        print(
            "worker processes replaced after their --max-requests (WEB_MAX_REQUESTS) during the cached runs: "
            f"{served.count('Maximum request limit')}"
        )
        tail = served.strip().splitlines()[-5:]
        if any("[ERROR]" in line or " ERROR " in line or "Traceback" in line for line in tail):
            print("server log tail:\n  " + "\n  ".join(tail))
    finally:
        if proc is not None:
            stop(proc)
        own_database(BENCH_DB, create=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# The one web server command, used by production (Dockerfile, docker-compose), `make run` (Procfile), `make smoke`
# and the load bench (bench/api_bench.py): gunicorn supervising WEB_CONCURRENCY uvicorn worker processes, each
# serving HTTP and WebSockets (Channels) for skincare.asgi. A worker that dies is replaced at once; one that hangs
# past WEB_TIMEOUT seconds is killed and replaced.
#
# Environment: WEB_CONCURRENCY (processes; default 2 per CPU core), WEB_HOST (default 127.0.0.1; 0.0.0.0 in a
# container), WEB_PORT or PORT (default 8000), TRUSTED_PROXIES (addresses or networks whose X-Forwarded-For and
# X-Forwarded-Proto are believed; default none), WEB_TIMEOUT (default 60), WEB_ACCESS_LOG (a file or - for stdout;
# default none: the reverse proxy logs requests).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .venv/bin/gunicorn ]; then GUNICORN=.venv/bin/gunicorn; else GUNICORN=gunicorn; fi
cores=$(nproc 2>/dev/null || echo 1)
args=(
  skincare.asgi:application
  --worker-class skincare.core.server.UvicornWorker
  --workers "${WEB_CONCURRENCY:-$((cores * 2))}"
  --bind "${WEB_HOST:-127.0.0.1}:${WEB_PORT:-${PORT:-8000}}"
  --forwarded-allow-ips "${TRUSTED_PROXIES:-}"
  --timeout "${WEB_TIMEOUT:-60}"
  --graceful-timeout 30
  --keep-alive 5
  --max-requests 20000
  --max-requests-jitter 2000
  --log-level "${WEB_LOG_LEVEL:-info}"
  --no-control-socket
)
if [ -n "${WEB_ACCESS_LOG:-}" ]; then args+=(--access-logfile "$WEB_ACCESS_LOG"); fi
exec "$GUNICORN" "${args[@]}"

#!/usr/bin/env bash
# The one web server command, used by production (Dockerfile, docker-compose), `make run` (Procfile), `make smoke`
# and the load bench (bench/api_bench.py): gunicorn supervising WEB_CONCURRENCY uvicorn worker processes, each
# serving HTTP and WebSockets (Channels) for skincare.asgi. A worker that dies is replaced at once; one that hangs
# past WEB_TIMEOUT seconds is killed and replaced. The app is loaded once, in gunicorn's master (--preload: it opens
# no connection and starts no thread while loading), and every worker is forked from it: a worker replaced after
# its --max-requests starts in milliseconds instead of loading Django again (2 s of CPU, taken from the running
# workers on a small machine), and the workers share the loaded code's memory.
#
# Environment: WEB_CONCURRENCY (processes; default 2 per CPU core), WEB_HOST (default 127.0.0.1; 0.0.0.0 in a
# container), WEB_PORT or PORT (default 8000), TRUSTED_PROXIES (addresses or networks whose X-Forwarded-For and
# X-Forwarded-Proto are believed; default none), WEB_TIMEOUT (default 60), WEB_ACCESS_LOG (a file or - for stdout;
# default none: the reverse proxy logs requests), WEB_MAX_REQUESTS (a worker is replaced after about this many
# requests, against slow leaks; default 20000, 0 = never; each worker's limit is drawn up to half again higher, so
# that workers started together, serving evenly spread connections, are not all replaced within the same seconds;
# a replacement warms itself before it accepts and gets its share of connections back. A worker going away drains
# its keep-alive connections: each one's next request is answered with Connection: close, none is cut under a
# request on its way).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .venv/bin/gunicorn ]; then GUNICORN=.venv/bin/gunicorn; else GUNICORN=gunicorn; fi
cores=$(nproc 2>/dev/null || echo 1)
max_requests=${WEB_MAX_REQUESTS:-20000}
args=(
  skincare.asgi:application
  --worker-class skincare.core.server.UvicornWorker
  --workers "${WEB_CONCURRENCY:-$((cores * 2))}"
  --bind "${WEB_HOST:-127.0.0.1}:${WEB_PORT:-${PORT:-8000}}"
  --forwarded-allow-ips "${TRUSTED_PROXIES:-}"
  --timeout "${WEB_TIMEOUT:-60}"
  --graceful-timeout 30
  --keep-alive 5
  --max-requests "$max_requests"
  --max-requests-jitter "$((max_requests / 2))"
  --preload
  --log-level "${WEB_LOG_LEVEL:-info}"
  --no-control-socket
)
if [ -n "${WEB_ACCESS_LOG:-}" ]; then args+=(--access-logfile "$WEB_ACCESS_LOG"); fi
exec "$GUNICORN" "${args[@]}"

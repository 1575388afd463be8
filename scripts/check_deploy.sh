#!/usr/bin/env bash
# Django's deployment checklist with production-like environment variables (see README: Configuration).
set -euo pipefail
cd "$(dirname "$0")/.."
env -u DJANGO_ALLOW_ASYNC_UNSAFE DEBUG=0 \
  SECRET_KEY="$(.venv/bin/python -c 'import secrets;print(secrets.token_urlsafe(64))')" \
  MEDIA_MASTER_KEY="$(.venv/bin/python -c 'import secrets,base64;print(base64.b64encode(secrets.token_bytes(32)).decode())')" \
  ALLOWED_HOSTS=skincare.example.com \
  SECURE_SSL_REDIRECT=1 SESSION_COOKIE_SECURE=1 CSRF_COOKIE_SECURE=1 \
  SECURE_HSTS_SECONDS=31536000 SECURE_HSTS_INCLUDE_SUBDOMAINS=1 SECURE_HSTS_PRELOAD=1 \
  .venv/bin/python manage.py check --deploy --fail-level WARNING

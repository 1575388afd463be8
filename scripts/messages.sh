#!/usr/bin/env bash
# Message catalogs (locale/<ll_CC>/LC_MESSAGES/django.po and djangojs.po), with GNU gettext.
#   scripts/messages.sh compile   # make run / make test: .po → .mo (the .mo files are built, never committed)
#   scripts/messages.sh extract   # make messages: collect the marked strings into every catalog (then translate)
# gettext is installed when missing, like tesseract in CI (.ci/run): apt-get as root, else a clear error.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
LOCALES=(es fr de pt_BR hi ar)
IGNORE=(--ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=var --ignore=media --ignore=ml
        --ignore=bench --ignore='*/tests/*' --ignore=tests --ignore='*/migrations/*')

need_gettext() {
  command -v msgfmt >/dev/null && command -v xgettext >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing GNU gettext (message catalogs)..."
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext >/dev/null
  fi
  command -v msgfmt >/dev/null || {
    echo "GNU gettext is missing: install the package 'gettext' (apt-get install gettext / brew install gettext)." >&2
    exit 1
  }
}

case "${1:-compile}" in
  compile)
    need_gettext
    $PY manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
    ;;
  extract)
    need_gettext
    args=()
    for l in "${LOCALES[@]}"; do args+=(-l "$l"); done
    # --add-location=file: no line numbers, so that catalogs do not change when code moves (smaller merges).
    $PY manage.py makemessages "${args[@]}" -d django -e html,txt,py --add-location=file --no-wrap --no-obsolete "${IGNORE[@]}"
    $PY manage.py makemessages "${args[@]}" -d djangojs -e js --add-location=file --no-wrap --no-obsolete "${IGNORE[@]}" \
      --ignore=static/admin
    ;;
  *) echo "usage: $0 compile|extract" >&2; exit 2 ;;
esac

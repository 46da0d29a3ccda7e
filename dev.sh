#!/usr/bin/env bash
# fiscalkit developer entry point. Sets up what it needs from nothing (Python 3.11 + pip),
# then runs one job:
#   ./dev.sh reproduce [ARGS]  reproduce the bundled 2021 disclosure and print the reconciliation
#   ./dev.sh test              lint (ruff), type-check (mypy --strict src), the whole pytest suite
#                              (unit, property, golden, doctests, notebooks)
#   ./dev.sh setup             only set up (.venv with fiscalkit[dev,notebooks], CJK font)
set -euo pipefail
cd "$(dirname "$0")"
VENV=${FISCALKIT_VENV:-.venv}
PY="$VENV/bin/python"

setup_python() {
  if [[ ! -x $PY ]]; then
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.fiscalkit-installed" want
  want=$(cat pyproject.toml | sha256sum | cut -c1-16)
  if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$PY" -m pip install --quiet --disable-pip-version-check -e ".[dev,notebooks]"
    echo "$want" > "$stamp"
  fi
}

# Plots label in Chinese; matplotlib needs a CJK font. Debian's fonts-noto-cjk, when we may install it.
setup_font() {
  if command -v fc-list >/dev/null 2>&1 && [[ -n $(fc-list :lang=zh 2>/dev/null | head -1) ]]; then
    return
  fi
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "installing fonts-noto-cjk for Chinese plot labels…" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fontconfig >/dev/null) \
      || echo "warning: could not install fonts-noto-cjk; plots fall back to English labels" >&2
  else
    echo "warning: no CJK font and no apt-get as root; plots fall back to English labels" >&2
  fi
}

job=${1:-reproduce}
shift || true
case $job in
  setup)
    setup_python; setup_font ;;
  reproduce)
    setup_python
    "$PY" -m fiscalkit reproduce "$@" ;;
  test)
    setup_python; setup_font
    "$VENV/bin/ruff" check src tests benchmarks
    "$VENV/bin/mypy" --strict src
    "$PY" -m pytest "$@" ;;
  *)
    echo "usage: ./dev.sh [setup|reproduce|test] [ARGS]" >&2; exit 2 ;;
esac

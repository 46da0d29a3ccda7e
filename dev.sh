#!/usr/bin/env bash
# fiscalkit developer entry point. Sets up what it needs from nothing (Python 3.11 + pip),
# then runs one job:
#   ./dev.sh reproduce [ARGS]  reproduce the bundled 2021 disclosure and print the reconciliation
#   ./dev.sh test              lint (ruff), type-check (mypy --strict src), the whole pytest suite
#                              (unit, property, golden, doctests, notebooks)
#   ./dev.sh setup             only set up (.venv with fiscalkit[dev,notebooks], CJK font, chromium)
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

# System packages from Debian, when we may install them: a CJK font so plots label in Chinese
# (fonts-noto-cjk), and chromium so the HTML audit report is tested in a real browser.
# Without them the plots fall back to English labels and the browser test skips, saying why.
setup_system() {
  local want=()
  if ! { command -v fc-list >/dev/null 2>&1 && [[ -n $(fc-list :lang=zh 2>/dev/null | head -1) ]]; }; then
    want+=(fonts-noto-cjk fontconfig)
  fi
  command -v chromium >/dev/null 2>&1 || want+=(chromium)
  ((${#want[@]})) || return 0
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${want[*]} (Debian)…" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${want[@]}" >/dev/null) \
      || echo "warning: could not install ${want[*]}; see above" >&2
  else
    echo "warning: cannot install ${want[*]} (needs apt-get as root)" >&2
  fi
}

job=${1:-reproduce}
shift || true
case $job in
  setup)
    setup_python; setup_system ;;
  reproduce)
    setup_python
    "$PY" -m fiscalkit reproduce "$@" ;;
  test)
    setup_python; setup_system
    "$VENV/bin/ruff" check src tests benchmarks
    "$VENV/bin/mypy" --strict src
    "$PY" -m pytest "$@" ;;
  *)
    echo "usage: ./dev.sh [setup|reproduce|test] [ARGS]" >&2; exit 2 ;;
esac

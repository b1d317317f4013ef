#!/usr/bin/env bash
# Create .venv with a Python >= 3.12 (DOLFINx wheels need it) and install hemcell with
# the FEniCSx extra and the development tools. Used by `make demo` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"

is_ok() {  # is $1 a Python >= 3.12?
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  local want candidates=()
  want="$(tr -d '[:space:]' < .python-version 2>/dev/null || true)"
  [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
  [ -n "$want" ] && candidates+=("python$want")
  candidates+=(python3.13 python3.12)
  if command -v pyenv >/dev/null 2>&1; then
    local root; root="$(pyenv root)"
    for d in "$root"/versions/${want:-3.12}* "$root"/versions/3.13* "$root"/versions/3.12*; do
      [ -x "$d/bin/python" ] && candidates+=("$d/bin/python")
    done
  fi
  candidates+=(python3)
  for c in "${candidates[@]}"; do
    if command -v "$c" >/dev/null 2>&1 && is_ok "$c"; then command -v "$c"; return 0; fi
  done
  return 1
}

if [ ! -x "$VENV/bin/python" ] || ! is_ok "$VENV/bin/python"; then
  if ! PY="$(find_python)"; then
    echo "error: hemcell needs Python >= 3.12 (the DOLFINx wheels exist only for 3.12+)." >&2
    echo "hint: install python3.12 (e.g. 'pyenv install 3.12') or set PYTHON=/path/to/python3.12" >&2
    exit 1
  fi
  echo "creating $VENV with $PY ($("$PY" --version 2>&1))"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e ".[fem,dev]"
echo "hemcell installed in $VENV"

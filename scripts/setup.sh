# Sourced by scripts/app.sh and scripts/test.sh: makes a fresh clone runnable.
# Idempotent and quick when nothing changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON_BIN="${PYTHON:-python3}"

# System libraries PySide6 needs to import and run offscreen (DESIGN §7).
QT_LIBS=(libglib2.0-0 libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3)
# Extra libraries for a real window on X11 / Xvfb; the first three (the
# virtual server and xdotool, which tests/e2e/test_window_xvfb.py drives it
# with) are needed only without a display.
X11_LIBS=(xvfb xauth xdotool libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-shape0 libx11-xcb1 libxcb-image0 libxcb-randr0 libxcb-render-util0
  libxcb-render0 libxcb-xkb1 libxcb-sync1 libxcb-xfixes0 libxcb-shm0)

ensure_system_packages() {
  command -v dpkg >/dev/null 2>&1 || return 0   # not Debian: trust the system
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing system packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing system packages; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
}

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON_BIN" -m venv "$VENV"
  fi
  # Reinstall only when the dependency declaration changed.
  local stamp="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "setup: installing the project and its test tools into .venv (first run takes a few minutes)" >&2
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
    # pip's build chatter goes to a log; shown only when the install fails.
    if ! "$VENV/bin/python" -m pip install -q -e "$ROOT[test]" >"$VENV/pip-install.log" 2>&1; then
      cat "$VENV/pip-install.log" >&2
      echo "setup: pip install failed (log: $VENV/pip-install.log)" >&2
      exit 1
    fi
    rm -f "$VENV"/.installed-*
    touch "$stamp"
  fi
}

#!/usr/bin/env bash
# Runs the whole test suite headless. Extra arguments go to pytest.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# X11_LIBS: the end-to-end test runs the real window on Xvfb.
ensure_system_packages "${QT_LIBS[@]}" "${X11_LIBS[@]}"
ensure_venv
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
"$VENV/bin/lint-imports" --config pyproject.toml
exec "$VENV/bin/python" -m pytest "$@"

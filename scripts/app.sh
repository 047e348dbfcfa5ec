#!/usr/bin/env bash
# Launches the annotator on the default project (seeded with the sample corpus
# on first start). Extra arguments go to `annotator`.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_system_packages "${QT_LIBS[@]}"
ensure_venv
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  # No screen (a server or CI box): run on a virtual X display so the app
  # still starts; take a picture with `--screenshot FILE`.
  ensure_system_packages "${X11_LIBS[@]}"
  echo "app: no display found; running on a virtual X display (xvfb-run)" >&2
  exec xvfb-run -a -s "-screen 0 1400x900x24" "$VENV/bin/annotator" "$@"
fi
ensure_system_packages "${X11_LIBS[@]:3}"
exec "$VENV/bin/annotator" "$@"

#!/usr/bin/env bash
# The peers that tests/peers.rs checks credman's new hashes with: htpasswd (Debian's
# apache2-utils) and, pinned in a venv at $CREDMAN_PEER_VENV (default target/peer-venv),
# Werkzeug (what a Flask app calls) and pyca bcrypt; and the browser that
# tests/webapp_browser.rs drives examples/webapp.rs with: Debian's headless-capable `chromium`
# and its WebDriver, `chromedriver` (package chromium-driver; the two come at one version); and
# man-db, with which tests/generated.rs renders the man pages.
# Idempotent: what is already there at these pins is left as it is.
#   scripts/install-peers.sh                 install what is missing
#   CREDMAN_PEER_VENV=/tmp/v scripts/install-peers.sh
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}
command -v htpasswd >/dev/null || apt_install apache2-utils
# tests/generated.rs renders the man pages with man (groff underneath).
command -v man >/dev/null || apt_install man-db
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt_install chromium chromium-driver
fi
"${PYTHON:-python3}" -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv

venv=${CREDMAN_PEER_VENV:-target/peer-venv}
pins=(Werkzeug==3.1.9 MarkupSafe==3.0.3 bcrypt==5.0.0)
stamp="$venv/.credman-pins"
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "${pins[*]}" ]; then
  exit 0
fi
if [ ! -x "$venv/bin/python" ]; then
  "${PYTHON:-python3}" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}"
# The versions the tests will really run against, checked rather than assumed.
"$venv/bin/python" -c '
import importlib.metadata as m
print("peer venv:", ", ".join(f"{p} {m.version(p)}" for p in ("Werkzeug", "bcrypt")))
'
printf '%s\n' "${pins[*]}" > "$stamp"

#!/usr/bin/env bash
# The Python peers that tests/peers.rs checks credman's new hashes with: Werkzeug (what a Flask
# app calls) and pyca bcrypt, pinned, in a venv at $CREDMAN_PEER_VENV (default
# target/peer-venv). Idempotent: a venv that already has these pins is left as it is.
#   scripts/peer-venv.sh                 create or update the venv
#   CREDMAN_PEER_VENV=/tmp/v scripts/peer-venv.sh
set -euo pipefail
cd "$(dirname "$0")/.."
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

#!/usr/bin/env bash
# credman's verify against its peers' on this machine, in one run (by hand only, never in CI):
# argon2-cffi, the argon2 reference CLI, Werkzeug, htpasswd, python bcrypt and passlib, each on a
# hash its owner made, at the owner's defaults and at equal parameters; see bench/peers.py.
#   bench/peers.sh                       install what is missing, build, 30 rounds (~3 min)
#   bench/peers.sh --runs 50 --json > peers.json    the table on stderr, JSON on stdout
#   bench/peers.sh --runs 2 --only argon2-owasp,bcrypt-5            a quick look
# Installs when missing: `argon2` and `htpasswd` (Debian's argon2 and apache2-utils), and a venv at
# $PEERS_VENV (default target/peers-venv) with the pins below. Its own venv, not the tests'
# target/peer-venv: passlib 1.7.4's bcrypt backend needs bcrypt < 4.1 (it reads
# bcrypt.__about__, gone in 4.1, and bcrypt 5 refuses the > 72-byte probe it runs at load).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v argon2 >/dev/null || missing+=(argon2)
command -v htpasswd >/dev/null || missing+=(apache2-utils)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

venv=${PEERS_VENV:-target/peers-venv}
pins=(argon2-cffi==25.1.0 argon2-cffi-bindings==26.2.0 cffi==2.1.1 Werkzeug==3.1.9 MarkupSafe==3.0.3
      passlib==1.7.4 bcrypt==4.0.1)
stamp="$venv/.credman-pins"
if ! [ -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${pins[*]}" ]; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}"
  printf '%s\n' "${pins[*]}" > "$stamp"
fi

cargo build --release --quiet
# The benches/hashing.rs binary, whose CREDMAN_BENCH_PEER_LOOP mode is credman's in-process figure.
cargo bench --quiet --bench hashing --no-run
exec "$venv/bin/python" bench/peers.py "$@"

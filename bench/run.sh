#!/usr/bin/env bash
# Compare credman with argon2-cffi (the reference C implementation) on this machine:
#   bench/run.sh            build release, install argon2-cffi in a venv, run bench/compare.py
#   bench/run.sh --runs 50  more samples
# Time the session commands on million-row fixtures (stdlib Python only, no venv):
#   bench/run.sh sessions [--runs N] [--big-runs N] [--rows N] [--only check,prune,list,users]
# Time import (100 000 pre-hashed users) and audit (1 000 000 stored hashes), stdlib Python only:
#   bench/run.sh import [--runs N] [--users N] [--big N] [--only import,big,audit] [--mix legacy|argon2id] [--shm]
# Timing uniformity of denied verifies (wrong password, unknown, locked, throttled user), stdlib Python only:
#   bench/run.sh timing [--runs N] [--seed N] [--json]
# credman's verify against its peers (argon2-cffi, the argon2 CLI, Werkzeug, htpasswd, bcrypt,
# passlib), each at its own default and at equal parameters; its own venv, by hand only:
#   bench/peers.sh [--runs N] [--only GROUP,...] [--json]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = sessions ]; then
  shift
  cargo build --release --quiet
  exec python3 bench/sessions.py "$@"
fi
if [ "${1:-}" = import ]; then
  shift
  cargo build --release --quiet
  exec python3 bench/import_audit.py "$@"
fi
if [ "${1:-}" = timing ]; then
  shift
  cargo build --release --quiet
  exec python3 bench/timing.py "$@"
fi
venv=${BENCH_VENV:-target/bench-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet argon2-cffi==25.1.0
fi
cargo build --release --quiet
exec "$venv/bin/python" bench/compare.py "$@"

#!/usr/bin/env bash
# Compare credman with argon2-cffi (the reference C implementation) on this machine:
#   bench/run.sh            build release, install argon2-cffi in a venv, run bench/compare.py
#   bench/run.sh --runs 50  more samples
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BENCH_VENV:-target/bench-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet argon2-cffi
fi
cargo build --release --quiet
exec "$venv/bin/python" bench/compare.py "$@"

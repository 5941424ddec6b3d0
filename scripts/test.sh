#!/usr/bin/env bash
# The whole test suite, as the README and CI run it: installs the peer tools the interop tests
# check credman against (scripts/install-peers.sh), then `cargo test`. Extra arguments go to
# cargo test (e.g. `scripts/test.sh --test peers`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-peers.sh
export CREDMAN_PEER_VENV="${CREDMAN_PEER_VENV:-$PWD/target/peer-venv}"
exec cargo test --locked "$@"

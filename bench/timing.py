#!/usr/bin/env python3
"""Timing uniformity of a denied `credman verify`: is a wrong password, an unknown user, a locked
user and a throttled user told apart by how long the denial takes?

Usage: bench/timing.py [--runs N] [--seed N] [--credman PATH] [--tmp DIR] [--json]
       bench/run.sh timing [same options]        (builds the release binary first)

The database is made by the binary at the DEFAULT argon2id cost (m=19456,t=2,p=1: the KDF is
most of a verify, and the point is whether every denial pays it alike), with three users, all
with the same (right) password:
  alice      the wrong password is tried on her;
  locked     `credman user lock locked`;
  throttled  driven over `lockout.threshold` (default 10) with wrong passwords.
Before that, `lockout.base` and `lockout.max` are set to 1d, so the throttled user stays
throttled for the whole run (the default 1m, doubling, could lapse mid-run); the threshold stays
at its default. After every round, `credman user unlock alice` (a process outside the timed
region) clears alice's failed attempts, so the wrong-password case never throttles her.

Each round runs one of each case, in an order shuffled per round (seeded, --seed), so machine
noise and drift hit every case alike. Each case is a whole process,
`credman --db DB verify NAME --password-stdin`, password on stdin (never in argv), timed with
perf_counter from spawn to exit, stdout and stderr captured through pipes:
  wrong password     alice, a wrong password              exit 1
  unknown user       a name that is not in the database   exit 1
  locked user        locked, the right password           exit 1
  throttled user     throttled, the right password        exit 1
  valid login        alice, the right password            exit 0  (informational, not a denial)
The four denials must print byte-identical stdout and stderr (checked on every run; the script
fails otherwise). Reported per case: median, p10, p90, min; the medians' spread
(max - min) / min over the four denials, goal <= 5 %; and, as a noise-robust cross-check, the
median over rounds of (case - the same round's wrong password). The load average is printed
before and after.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import log

PASSWORD = b"correct horse battery staple\n"
WRONG = b"correct horse battery stapler\n"
DENIALS = ("wrong password", "unknown user", "locked user", "throttled user")
VALID = "valid login"
GOAL = 0.05


class Credman:
    def __init__(self, path, db):
        self.path, self.db = path, db

    def argv(self, *args):
        return [self.path, "--db", self.db] + list(args)

    def run(self, *args, stdin=b"", expect=0):
        proc = subprocess.run(self.argv(*args), input=stdin, capture_output=True)
        if proc.returncode != expect:
            sys.exit(f"{list(args)} exited {proc.returncode}, expected {expect}: {proc.stderr.decode()}")
        return proc.stdout.decode()

    def show(self, name):
        return json.loads(self.run("--json", "user", "show", name))


def setup(cm):
    cm.run("init")
    for key in ("hash.argon2.m", "hash.argon2.t", "hash.argon2.p"):
        value = cm.run("config", "get", key).strip()
        want = {"hash.argon2.m": "19456", "hash.argon2.t": "2", "hash.argon2.p": "1"}[key]
        if value != want:
            sys.exit(f"{key} = {value}, expected the default {want}")
    cm.run("config", "set", "lockout.base", "1d")
    cm.run("config", "set", "lockout.max", "1d")
    threshold = int(cm.run("config", "get", "lockout.threshold").strip())
    for name in ("alice", "locked", "throttled"):
        cm.run("user", "add", name, "--password-stdin", stdin=PASSWORD)
    cm.run("user", "lock", "locked")
    for _ in range(threshold):
        cm.run("verify", "throttled", "--password-stdin", stdin=WRONG, expect=1)
    state = cm.show("throttled")
    if state["failed_attempts"] < threshold or not state["throttled_until"]:
        sys.exit(f"user 'throttled' is not throttled: {state}")
    if not cm.show("locked")["locked"]:
        sys.exit("user 'locked' is not locked")
    scheme = cm.show("alice")["scheme"]
    return threshold, state, scheme


def timed(argv, stdin, expect):
    t0 = time.perf_counter()
    proc = subprocess.run(argv, input=stdin, capture_output=True)
    elapsed = (time.perf_counter() - t0) * 1000
    if proc.returncode != expect:
        sys.exit(f"{argv[3:]} exited {proc.returncode}, expected {expect}: {proc.stderr.decode()}")
    return elapsed, (proc.stdout, proc.stderr)


def pct(values, p):
    """The p-th percentile (0 < p < 100), linear interpolation between closest ranks."""
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=200, help="rounds; one verify of each case per round (default 200)")
    ap.add_argument("--warmup", type=int, default=3, help="rounds run first and not counted (default 3)")
    ap.add_argument("--seed", type=int, default=7, help="seed of the per-round shuffle (default 7)")
    ap.add_argument("--credman", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "credman"))
    ap.add_argument("--tmp", help="where to make the temporary directory (default: $TMPDIR)")
    ap.add_argument("--json", action="store_true", help="print the numbers as one JSON document")
    args = ap.parse_args()
    if args.runs < 2:
        ap.error("--runs must be at least 2")

    credman = os.path.abspath(args.credman)
    rng = random.Random(args.seed)
    load_before = os.getloadavg()
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="credman-timing-", dir=args.tmp) as tmp:
        cm = Credman(credman, os.path.join(tmp, "timing.db"))
        log("setup: database at the default argon2id cost, users alice, locked, throttled")
        threshold, throttled_state, scheme = setup(cm)
        verify = lambda name: cm.argv("verify", name, "--password-stdin")
        cases = {
            "wrong password": (verify("alice"), WRONG, 1),
            "unknown user": (verify("nobody"), PASSWORD, 1),
            "locked user": (verify("locked"), PASSWORD, 1),
            "throttled user": (verify("throttled"), PASSWORD, 1),
            VALID: (verify("alice"), PASSWORD, 0),
        }
        samples = {name: [] for name in cases}
        denial_output = None
        log(f"timing: {args.warmup} warm-up + {args.runs} interleaved rounds of {len(cases)} processes")
        for i in range(args.warmup + args.runs):
            order = list(cases)
            rng.shuffle(order)
            for name in order:
                elapsed, output = timed(*cases[name])
                if name in DENIALS:
                    if denial_output is None:
                        denial_output = output
                    elif output != denial_output:
                        sys.exit(f"the denials differ: {name} printed {output!r}, another printed {denial_output!r}")
                if i >= args.warmup:
                    samples[name].append(elapsed)
            # Outside the timed region: alice's wrong password must never throttle her.
            cm.run("user", "unlock", "alice")
            if (i + 1) % 50 == 0:
                log(f"  {i + 1} rounds")
        end = {name: cm.show(name) for name in ("alice", "locked", "throttled")}
        if not end["throttled"]["throttled_until"] or not end["locked"]["locked"] or end["alice"]["failed_attempts"] >= threshold:
            sys.exit(f"the users' states changed during the run: {end}")
    wall = time.perf_counter() - t_start
    load_after = os.getloadavg()

    rows = {}
    for name, v in samples.items():
        rows[name] = {"median_ms": statistics.median(v), "p10_ms": pct(v, 10), "p90_ms": pct(v, 90),
                      "min_ms": min(v), "runs": len(v)}
        base = samples["wrong password"]
        rows[name]["paired_vs_wrong_ms"] = statistics.median(a - b for a, b in zip(v, base))
    medians = [rows[n]["median_ms"] for n in DENIALS]
    spread = (max(medians) - min(medians)) / min(medians)
    result = {
        "cases": {n: {k: round(x, 2) if isinstance(x, float) else x for k, x in r.items()} for n, r in rows.items()},
        "denial_median_spread": round(spread, 4),
        "goal": GOAL,
        "ok": spread <= GOAL,
        "denial_output": {"stdout": denial_output[0].decode(), "stderr": denial_output[1].decode()},
        "setup": {"argon2id": "m=19456,t=2,p=1 (default)", "scheme": scheme, "lockout.threshold": threshold,
                  "lockout.base": "1d", "lockout.max": "1d",
                  "throttled_failed_attempts": throttled_state["failed_attempts"]},
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "cpus": os.cpu_count(),
        "wall_s": round(wall, 1),
        "seed": args.seed,
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        width = max(len(n) for n in cases)
        print(f"\n{'case':<{width}}  median ms   p10 ms   p90 ms   min ms  paired vs wrong  runs")
        for name in cases:
            r = rows[name]
            print(f"{name:<{width}}  {r['median_ms']:>9.2f} {r['p10_ms']:>8.2f} {r['p90_ms']:>8.2f} {r['min_ms']:>8.2f}"
                  f"  {r['paired_vs_wrong_ms']:>+12.2f} ms  {r['runs']:>4}")
        verdict = "ok" if spread <= GOAL else "MISSED"
        print(f"\nspread of the four denial medians: {spread * 100:.2f} % (goal <= {GOAL * 100:.0f} %): {verdict}")
        print(f"every denial printed stdout {denial_output[0].decode()!r}, stderr {denial_output[1].decode()!r}, exit 1")
        print(f"throttled user: {throttled_state['failed_attempts']} failed attempts (threshold {threshold}); "
              f"lockout.base = lockout.max = 1d for the run")
        print(f"load average before {' '.join(f'{x:.2f}' for x in load_before)}, "
              f"after {' '.join(f'{x:.2f}' for x in load_after)} ({os.cpu_count()} CPUs); wall {wall:.0f} s")
    if denial_output is None:
        sys.exit("no denial ran")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Time credman end to end against argon2-cffi (the reference C implementation) on one hash.

Usage: bench/compare.py [--runs N] [--credman PATH]
Needs argon2-cffi (bench/run.sh installs it in a venv). Prints one table and, with --json, the
numbers as JSON. Each credman figure is the wall time of a whole process (spawn, open, read the
password from stdin, KDF, exit), measured from Python; argon2-cffi's is a warm in-process verify.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

PASSWORD = b"correct horse battery staple"


def run_process(argv, stdin_bytes, expect):
    t0 = time.perf_counter()
    proc = subprocess.run(argv, input=stdin_bytes, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - t0) * 1000
    if proc.returncode != expect:
        sys.exit(f"{argv[1:]} exited {proc.returncode}, expected {expect}: {proc.stderr.decode()}")
    return elapsed


def run_in_process(fn):
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def measure(cases, runs, warmup=3):
    """Runs every case once per round, rounds interleaved, so that a machine that slows down or
    speeds up during the run affects every case alike."""
    samples = {name: [] for name in cases}
    for i in range(warmup + runs):
        for name, run in cases.items():
            elapsed = run()
            if i >= warmup:
                samples[name].append(elapsed)
    return samples


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--credman", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "credman"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    import argon2  # argon2-cffi

    credman = os.path.abspath(args.credman)
    line = PASSWORD + b"\n"
    hash_ = subprocess.run([credman, "hash", "--password-stdin"], input=line, capture_output=True, check=True).stdout.decode().strip()
    ph = argon2.PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)

    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        env_db = ["--db", db]
        subprocess.run([credman, *env_db, "user", "add", "alice", "--password-stdin"], input=line, check=True, capture_output=True)
        # The same flow with a negligible KDF (argon2id m=8,t=1): what verify costs besides it.
        cheap = ["--db", os.path.join(tmp, "cheap.db")]
        for key, value in [("hash.argon2.m", "8"), ("hash.argon2.t", "1")]:
            subprocess.run([credman, *cheap, "config", "set", key, value], check=True, capture_output=True)
        subprocess.run([credman, *cheap, "user", "add", "alice", "--password-stdin"], input=line, check=True, capture_output=True)
        cases = {
            "argon2-cffi verify (warm, in-process)": lambda: run_in_process(lambda: ph.verify(hash_, PASSWORD)),
            "credman hash verify (whole process)": lambda: run_process([credman, "hash", "verify", hash_, "--password-stdin"], line, 0),
            "credman verify (whole process, stored user)": lambda: run_process([credman, *env_db, "verify", "alice", "--password-stdin"], line, 0),
            "credman verify, unknown user (whole process)": lambda: run_process([credman, *env_db, "verify", "nobody", "--password-stdin"], line, 1),
            "credman verify minus the KDF (m=8,t=1)": lambda: run_process([credman, *cheap, "verify", "alice", "--password-stdin"], line, 0),
            "credman --version (process start alone)": lambda: run_process([credman, "--version"], b"", 0),
            "spawn /bin/true from Python (overhead)": lambda: run_process(["/bin/true"], b"", 0),
        }
        results = measure(cases, args.runs)

    summary = {name: {"median_ms": round(statistics.median(v), 2), "min_ms": round(min(v), 2), "runs": len(v)} for name, v in results.items()}
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        print()
        return
    width = max(len(n) for n in summary)
    print(f"{'what':<{width}}  median ms  min ms")
    for name, row in summary.items():
        print(f"{name:<{width}}  {row['median_ms']:>9.2f}  {row['min_ms']:>6.2f}")
    cffi = summary["argon2-cffi verify (warm, in-process)"]["median_ms"]
    ours = summary["credman hash verify (whole process)"]["median_ms"]
    stored = summary["credman verify (whole process, stored user)"]["median_ms"]
    print(f"\ncredman hash verify / argon2-cffi: {ours / cffi:.2f}x (bar: <= 1.00)")
    print(f"credman verify - credman hash verify: {stored - ours:+.2f} ms (bar: <= 5 ms)")
    minus = summary["credman verify minus the KDF (m=8,t=1)"]["median_ms"]
    spawn = summary["spawn /bin/true from Python (overhead)"]["median_ms"]
    print(f"credman verify minus the KDF: {minus:.2f} ms, {minus - spawn:.2f} ms without Python's spawn (bar: <= 5 ms)")


if __name__ == "__main__":
    main()

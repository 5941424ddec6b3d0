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


def time_process(argv, stdin_bytes, runs, expect):
    samples = []
    for i in range(runs + 3):
        t0 = time.perf_counter()
        proc = subprocess.run(argv, input=stdin_bytes, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - t0
        if proc.returncode != expect:
            sys.exit(f"{argv[1:]} exited {proc.returncode}, expected {expect}: {proc.stderr.decode()}")
        if i >= 3:  # warm-up runs are not counted
            samples.append(elapsed * 1000)
    return samples


def time_in_process(fn, runs):
    for _ in range(3):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def spawn_overhead(runs):
    return time_process(["/bin/true"], b"", runs, 0)


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
        results = {
            "argon2-cffi verify (warm, in-process)": time_in_process(lambda: ph.verify(hash_, PASSWORD), args.runs),
            "credman hash verify (whole process)": time_process([credman, "hash", "verify", hash_, "--password-stdin"], line, args.runs, 0),
            "credman verify (whole process, stored user)": time_process([credman, *env_db, "verify", "alice", "--password-stdin"], line, args.runs, 0),
            "credman verify, unknown user (whole process)": time_process([credman, *env_db, "verify", "nobody", "--password-stdin"], line, args.runs, 1),
            "credman verify minus the KDF (m=8,t=1)": time_process([credman, *cheap, "verify", "alice", "--password-stdin"], line, args.runs, 0),
            "credman user list (whole process, 1 user)": time_process([credman, *env_db, "user", "list"], b"", args.runs, 0),
            "spawn /bin/true from Python (overhead)": spawn_overhead(args.runs),
        }

    summary = {name: {"median_ms": round(statistics.median(s), 2), "min_ms": round(min(s), 2), "runs": len(s)} for name, s in results.items()}
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        print()
        return
    width = max(len(n) for n in summary)
    print(f"{'what':<{width}}  median ms  min ms")
    for name, s in summary.items():
        print(f"{name:<{width}}  {s['median_ms']:>9.2f}  {s['min_ms']:>6.2f}")
    cffi = summary["argon2-cffi verify (warm, in-process)"]["median_ms"]
    ours = summary["credman hash verify (whole process)"]["median_ms"]
    stored = summary["credman verify (whole process, stored user)"]["median_ms"]
    print(f"\ncredman hash verify / argon2-cffi: {ours / cffi:.2f}x (bar: <= 1.00)")
    print(f"credman verify - credman hash verify: {stored - ours:+.2f} ms (bar: <= 5 ms)")
    minus = summary["credman verify minus the KDF (m=8,t=1)"]["median_ms"]
    print(f"credman verify minus the KDF: {minus:.2f} ms (bar: <= 5 ms)")


if __name__ == "__main__":
    main()

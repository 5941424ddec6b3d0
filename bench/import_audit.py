#!/usr/bin/env python3
"""Time `credman import` and `credman audit` end to end, against the bars of SPEC section 6.

Usage: bench/import_audit.py [--runs N] [--users N] [--big N] [--only WHAT,...] [--mix MIX] [--shm]
                             [--credman PATH] [--tmp DIR] [--json]
       bench/run.sh import [same options]        (builds the release binary first)

  import  `credman --db NEW.db import FILE --format htpasswd` of --users (100 000) pre-hashed
          users, a fresh database each run (the binary creates it; synchronous=FULL, so every
          batch commit is fsynced). The database lives in the temporary directory, by default
          under $TMPDIR, i.e. on the disk a user's database would be on; --shm adds the same
          import into /dev/shm (tmpfs: fsync is free), interleaved, to show what the disk costs.
          Bar: <= 3 s.
  big     builds the --big (1 000 000) user database for `audit` by importing a --big-line file
          with the binary, timed once (informational: no bar).
  audit   `credman audit` (table) and `credman audit --json` of the big database, stdout to
          /dev/null, and, informational, `credman audit FILE --format htpasswd` of the big file.
          Bar: <= 5 s (parse + verdict of every stored hash; no KDF runs).

The input is an htpasswd-style `user:hash` file of syntactically valid hashes, none of which
needs to verify, in a mix a legacy system migrating to credman might have (seeded, so every run
makes the same file):
  35% argon2id  $argon2id$v=19$m=19456,t=2,p=1$<16-byte salt>$<32-byte tag>  (base64, no padding)
  25% Werkzeug  pbkdf2:sha256:600000$<16 alnum>$<64 hex>
  15% Werkzeug  scrypt:32768:8:1$<16 alnum>$<128 hex>
  15% bcrypt    $2b$12$<22 salt + 31 hash chars of ./A-Za-z0-9>
  10% apr1      $apr1$<8 chars>$<22 chars>
With --mix argon2id every hash is argon2id at m=19456,t=2,p=1 instead (a database long in
credman's hands: all strong, no rehash, no findings, so almost no output).
User names are `first.lastN` (N the line number, so all are unique) in file order, i.e. random
order for the database's name index. Before any timing, a sample of the file is audited with
the binary to make sure every hash parses (no `malformed`).

Every figure is a wall-clock time measured from Python around a whole process (spawn to exit);
medians, min and max over the runs, and the peak RSS of the process (wait4's ru_maxrss). The
machine's load average is printed before and after: numbers taken while other builds run are
not worth much. Everything lives in a temporary directory, deleted at the end.
"""

import argparse
import base64
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import Credman, log

WHAT = ("import", "big", "audit")
B64_CRYPT = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
FIRST = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
         "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yusuf"]
LAST = ["smith", "jones", "garcia", "müller", "rossi", "dubois", "kowalski", "tanaka", "nguyen",
        "silva", "ivanova", "o'brien", "van-dijk", "haddad", "okafor", "lindqvist"]
# (weight, name) of each mix; the names are credman's scheme names.
MIXES = {
    "legacy": [(35, "argon2id"), (25, "werkzeug-pbkdf2"), (15, "werkzeug-scrypt"), (15, "bcrypt"), (10, "apr1")],
    # A database that has been credman's for a while: every hash its own, none a finding.
    "argon2id": [(100, "argon2id")],
}


def b64_nopad(raw):
    return base64.b64encode(raw).rstrip(b"=").decode()


def make_hash(rng, kind):
    if kind == "argon2id":
        return "$argon2id$v=19$m=19456,t=2,p=1$%s$%s" % (b64_nopad(rng.randbytes(16)), b64_nopad(rng.randbytes(32)))
    if kind == "werkzeug-pbkdf2":
        return "pbkdf2:sha256:600000$%s$%s" % ("".join(rng.choices(ALNUM, k=16)), rng.randbytes(32).hex())
    if kind == "werkzeug-scrypt":
        return "scrypt:32768:8:1$%s$%s" % ("".join(rng.choices(ALNUM, k=16)), rng.randbytes(64).hex())
    if kind == "bcrypt":
        # 22 characters of salt (the last one carries 2 bits: one of .Oeu), 31 of hash (the
        # last carries 4 bits: one of .Oeu in bcrypt's alphabet as well).
        salt = "".join(rng.choices(B64_CRYPT, k=21)) + rng.choice(".Oeu")
        digest = "".join(rng.choices(B64_CRYPT, k=30)) + rng.choice(".Oeu")
        return "$2b$12$" + salt + digest
    if kind == "apr1":
        return "$apr1$%s$%s" % ("".join(rng.choices(B64_CRYPT, k=8)), "".join(rng.choices(B64_CRYPT, k=22)))
    raise ValueError(kind)


def write_htpasswd(path, users, seed, mix="legacy"):
    """Writes `users` lines `first.lastN:hash`; returns how many of each kind."""
    rng = random.Random(seed)
    kinds = [name for weight, name in MIXES[mix] for _ in range(weight)]
    counts = dict.fromkeys((name for _, name in MIXES[mix]), 0)
    with open(path, "w", encoding="utf-8") as f:
        chunk = []
        for i in range(users):
            kind = kinds[rng.randrange(len(kinds))]
            counts[kind] += 1
            chunk.append("%s.%s%d:%s\n" % (rng.choice(FIRST), rng.choice(LAST), i, make_hash(rng, kind)))
            if len(chunk) == 10_000:
                f.writelines(chunk)
                chunk = []
        f.writelines(chunk)
    return counts


def timed_process(argv, stdout=subprocess.DEVNULL, expect=0):
    """Runs argv to its exit. Returns (wall ms, peak RSS KiB); its stderr is kept for errors."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = (time.perf_counter() - t0) * 1000
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != expect:
            err.seek(0)
            sys.exit(f"{argv} exited {code}, expected {expect}: {err.read().decode()[:2000]}")
    return elapsed, usage.ru_maxrss


def remove_db(db):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)


def rounds(cases, runs, warmup):
    """cases: name -> fn returning (ms, rss KiB). One call of each per round, interleaved."""
    samples = {name: ([], []) for name in cases}
    for i in range(warmup + runs):
        for name, fn in cases.items():
            ms, rss = fn()
            log(f"    {'warm-up ' if i < warmup else ''}{name}: {ms:.0f} ms, {rss / 1024:.0f} MiB")
            if i >= warmup:
                samples[name][0].append(ms)
                samples[name][1].append(rss)
    return samples


def summarize(samples, bar_ms=None):
    out = {}
    for name, (ms, rss) in samples.items():
        out[name] = {"median_ms": round(statistics.median(ms), 1), "min_ms": round(min(ms), 1),
                     "max_ms": round(max(ms), 1), "runs": len(ms), "peak_rss_mib": round(max(rss) / 1024, 1)}
        if bar_ms is not None:
            out[name]["bar_ms"] = bar_ms
    return out


def loadavg():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def check_parses(cm, tmp, path, lines=5000):
    """Audits the first lines of `path` with the binary: every hash must parse."""
    sample = os.path.join(tmp, "sample.htpasswd")
    with open(path, encoding="utf-8") as src, open(sample, "w", encoding="utf-8") as dst:
        for _, line in zip(range(lines), src):
            dst.write(line)
    report = json.loads(cm.run(None, "--json", "audit", sample, "--format", "htpasswd"))
    summary = report["summary"]
    if summary.get("malformed", 0):
        bad = [f for f in report["findings"] if f["verdict"] == "malformed"][:5]
        sys.exit(f"the generated hashes do not all parse: {summary}; e.g. {bad}")
    os.remove(sample)
    return summary


def gen(tmp, name, users, seed, mix):
    path = os.path.join(tmp, name)
    t0 = time.perf_counter()
    counts = write_htpasswd(path, users, seed, mix)
    log(f"  generated {path}: {users} users, {os.path.getsize(path) / 1e6:.1f} MB, {counts}, "
        f"{time.perf_counter() - t0:.1f} s")
    return path


def import_case(cm, db, path):
    """One timed import into a database that does not exist yet."""
    def one():
        remove_db(db)
        os.sync()  # nothing of an earlier run left to write back while this one is timed
        return timed_process([cm.path, "--db", db, "--json", "import", path, "--format", "htpasswd"])

    return one


def bench_import(cm, tmp, args):
    path = gen(tmp, "users-%d.htpasswd" % args.users, args.users, seed=1, mix=args.mix)
    log(f"  every hash parses: {check_parses(cm, tmp, path)}")
    cases = {}
    dirs = [("disk", tmp)]
    if args.shm:
        shm = tempfile.mkdtemp(prefix="credman-bench-", dir="/dev/shm")
        dirs.append(("/dev/shm", shm))
    for where, d in dirs:
        db = os.path.join(d, "import.db")
        # One untimed run, checked: every user added, none bad.
        remove_db(db)
        report = json.loads(cm.run(db, "--json", "import", path, "--format", "htpasswd"))
        if report["added"] != args.users or report["bad"]:
            sys.exit(f"import added {report['added']} of {args.users}, bad: {report['bad'][:5]}")
        log(f"  {where}: database of {args.users} users: {os.path.getsize(db) / 1e6:.0f} MB")
        cases[f"import of {args.users} users ({where})"] = import_case(cm, db, path)
    log(f"import: {args.runs} interleaved rounds (load average {loadavg()})")
    out = summarize(rounds(cases, args.runs, warmup=0), bar_ms=3000)
    if args.shm:
        shutil.rmtree(shm)
    os.remove(path)
    return out


def bench_big(cm, tmp, args):
    path = gen(tmp, "users-%d.htpasswd" % args.big, args.big, seed=2, mix=args.mix)
    log(f"  every hash parses: {check_parses(cm, tmp, path)}")
    db = os.path.join(tmp, "big.db")
    remove_db(db)
    os.sync()
    log(f"big: importing {args.big} users (load average {loadavg()})")
    ms, rss = timed_process([cm.path, "--db", db, "--json", "import", path, "--format", "htpasswd"])
    log(f"  {ms / 1000:.1f} s, {rss / 1024:.0f} MiB; database {os.path.getsize(db) / 1e6:.0f} MB")
    out = summarize({f"import of {args.big} users (builds the audit fixture)": ([ms], [rss])})
    return out, db, path


def audit_summary(cm, db):
    """The summary of `audit --json`, read from the head of the output (the findings may be
    hundreds of MB), and the sizes of both outputs."""
    sizes = {}
    for json_output in (False, True):
        argv = [cm.path, "--db", db] + (["--json"] if json_output else []) + ["audit"]
        with tempfile.TemporaryFile() as out:
            timed_process(argv, stdout=out)
            sizes["json" if json_output else "table"] = out.tell()
            if json_output:
                out.seek(0)
                head = out.read(4096).decode()
                summary = json.loads(head[len('{"summary":'):head.index(',"findings":')])
    return summary, sizes


def bench_audit(cm, tmp, args, db, path):
    summary, sizes = audit_summary(cm, db)
    total = sum(summary.values())
    if total != args.big:
        sys.exit(f"audit counted {total} hashes, expected {args.big}: {summary}")
    log(f"  summary {summary}; output: table {sizes['table'] / 1e6:.0f} MB, --json {sizes['json'] / 1e6:.0f} MB")
    cases = {
        f"audit of {args.big} stored hashes (table > /dev/null)":
            lambda: timed_process([cm.path, "--db", db, "audit"]),
        f"audit --json of {args.big} stored hashes (> /dev/null)":
            lambda: timed_process([cm.path, "--db", db, "--json", "audit"]),
    }
    if path:
        cases[f"audit FILE of {args.big} htpasswd lines (table > /dev/null)"] = (
            lambda: timed_process([cm.path, "--db", db, "audit", path, "--format", "htpasswd"]))
    log(f"audit: {args.runs} interleaved rounds after one warm-up (load average {loadavg()})")
    out = summarize(rounds(cases, args.runs, warmup=1))
    for name, row in out.items():
        if not name.startswith("audit FILE"):
            row["bar_ms"] = 5000
    out["_info"] = {"summary": summary, "output_bytes": sizes}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each case (default 5)")
    ap.add_argument("--users", type=int, default=100_000, help="users in the import file (default 100000)")
    ap.add_argument("--big", type=int, default=1_000_000, help="users in the audited database (default 1000000)")
    ap.add_argument("--only", default=",".join(WHAT), help="comma-separated subset of " + ",".join(WHAT)
                    + " (audit needs big, and implies it)")
    ap.add_argument("--mix", choices=sorted(MIXES), default="legacy",
                    help="legacy: the mix above (default); argon2id: all argon2id at credman's default "
                    "parameters (no findings: the parse and verdict without the output)")
    ap.add_argument("--shm", action="store_true", help="also time the import into /dev/shm (no fsync cost)")
    ap.add_argument("--credman", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "credman"))
    ap.add_argument("--tmp", help="where to make the temporary directory (default: $TMPDIR)")
    ap.add_argument("--json", action="store_true", help="print the numbers as one JSON document")
    args = ap.parse_args()
    only = set(args.only.split(","))
    if only - set(WHAT):
        ap.error(f"--only: unknown {', '.join(sorted(only - set(WHAT)))}")
    if "audit" in only:
        only.add("big")

    cm = Credman(os.path.abspath(args.credman))
    results = {}
    log(f"load average at the start: {loadavg()} ({os.cpu_count()} CPUs); mix: {args.mix}")
    with tempfile.TemporaryDirectory(prefix="credman-bench-", dir=args.tmp) as tmp:
        log(f"working in {tmp}")
        if "import" in only:
            results["import"] = bench_import(cm, tmp, args)
        if "big" in only:
            results["big"], db, path = bench_big(cm, tmp, args)
            if "audit" in only:
                results["audit"] = bench_audit(cm, tmp, args, db, path)
    log(f"load average at the end: {loadavg()}")

    if args.json:
        json.dump(results, sys.stdout, indent=2)
        print()
        return
    for section, rows in results.items():
        info = rows.pop("_info", None)
        width = max(len(n) for n in rows)
        print(f"\n[{section}]\n{'what':<{width}}  median ms   min ms   max ms  runs  peak RSS   bar")
        for name, row in rows.items():
            bar = verdict = ""
            if "bar_ms" in row:
                bar = f"<= {row['bar_ms']} ms"
                verdict = " ok" if row["median_ms"] <= row["bar_ms"] else " MISSED"
            print(f"{name:<{width}}  {row['median_ms']:>9.1f} {row['min_ms']:>8.1f} {row['max_ms']:>8.1f}"
                  f"  {row['runs']:>4}  {row['peak_rss_mib']:>5.0f} MiB   {bar}{verdict}")
        if info:
            print(f"verdicts: {info['summary']}; output: {info['output_bytes']} bytes")


if __name__ == "__main__":
    main()

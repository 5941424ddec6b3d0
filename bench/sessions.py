#!/usr/bin/env python3
"""Time the session commands end to end, against the bars of SPEC section 6.

Usage: bench/sessions.py [--runs N] [--big-runs N] [--rows N] [--only WHAT,...] [--credman PATH] [--json]
       bench/run.sh sessions [same options]        (builds the release binary first)

  check  a whole `credman session check` process (token on stdin), valid and unknown token,
         interleaved with `/bin/true` (Python's spawn overhead) and `credman --version`.
         Bar: <= 5 ms per process.
  prune  `credman session prune` of --rows expired sessions (secure_delete is on; the binary sets
         it). Each run prunes a fresh copy of one fixture; the copy is fsynced before the clock
         starts. Bar: <= 5 s.
  list   `credman session list` (table and --json) of --rows active sessions: time from spawn to
         the first byte read from the stdout pipe, and to EOF + exit. Bar: first byte <= 100 ms.
  users  `credman user list` (table and --json) of --rows users, timed the same way.
         Bar: first byte <= 100 ms.

Fixtures are built fast: the database is created by the binary (init, a cheap KDF via
`config set`, one user added with --password-stdin), then the rows are bulk-inserted with
Python's sqlite3 in one transaction. Sessions get real tokens (`cms_` + base64url of 32 bytes
derived from the row number), of which only the SHA-256 is stored, as credman does; so a token
of the big fixture can be checked too. Users share one argon2id hash made by
`credman hash --password-stdin`. Everything lives in a temporary directory, deleted at the end.

Every figure is a median over the runs (min and the number of runs beside it); cases are
interleaved round by round, so a noisy machine slows them alike.
"""

import argparse
import base64
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

import benchlib
from benchlib import log

PASSWORD = b"correct horse battery staple\n"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
DAY = 86_400
WHAT = ("check", "prune", "list", "users")


def token_of(i):
    """The token of fixture row i, and its stored SHA-256 (32 unique bytes per row)."""
    raw = hashlib.sha256(b"credman bench session %d" % i).digest()
    token = "cms_" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return token, hashlib.sha256(token.encode()).digest()


class Credman(benchlib.Credman):
    def new_db(self, db, cheap_kdf=True):
        """A database made by the binary: init, a negligible KDF, one user `alice`."""
        self.run(db, "init")
        if cheap_kdf:
            self.run(db, "config", "set", "hash.argon2.m", "8")
            self.run(db, "config", "set", "hash.argon2.t", "1")
        self.run(db, "user", "add", "alice", "--password-stdin", stdin=PASSWORD)


def bulk(db, fill):
    """Runs fill(conn) in one transaction on a connection tuned for loading, then closes it, which
    checkpoints the WAL into the database file."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -2000000")  # 2 GB: the pages reach the WAL once, at commit
    conn.execute("BEGIN")
    fill(conn)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def fill_sessions(rows, user_ids, expired):
    now = int(time.time())
    if expired:  # expired a day ago (idle long before)
        created, seen, expires, idle = now - 3 * DAY, now - 2 * DAY, now - DAY, 1800
    else:  # active for a month, whatever the clock does during the run
        created, seen, expires, idle = now - DAY, now, now + 30 * DAY, 30 * DAY

    def fill(conn):
        user_id = conn.execute("SELECT id FROM users WHERE name = 'alice'").fetchone()[0]
        ids = [user_id] + list(user_ids(conn))

        def gen():
            for i in range(rows):
                yield ("%024x" % i, ids[i % len(ids)], token_of(i)[1], created + i % 3600, seen,
                       expires, idle, None, "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255), USER_AGENT)

        conn.executemany(
            "INSERT INTO sessions (public_id, user_id, token_sha256, created_at, last_seen_at, expires_at,"
            " idle_timeout, label, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", gen())

    return fill


def fill_users(rows, hash_, prefix="user"):
    now = int(time.time())

    def fill(conn):
        conn.executemany(
            "INSERT INTO users (name, hash, created_at, password_changed_at) VALUES (?, ?, ?, ?)",
            (("%s%07d" % (prefix, i), hash_, now - i, now - i) for i in range(rows)))
        return [r[0] for r in conn.execute("SELECT id FROM users WHERE name LIKE ?", (prefix + "%",))]

    return fill


def timed(fn):
    log(f"  ... {fn.__doc__}")
    t0 = time.perf_counter()
    value = fn()
    log(f"      {time.perf_counter() - t0:.1f} s")
    return value


def spawn(argv, stdin=b"", expect=0):
    t0 = time.perf_counter()
    proc = subprocess.run(argv, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - t0) * 1000
    if proc.returncode != expect:
        sys.exit(f"{argv} exited {proc.returncode}, expected {expect}: {proc.stderr.decode()}")
    return elapsed


def stream(argv, json_output):
    """Spawns argv, reads its stdout pipe to EOF. Returns (ms to the first byte, ms to EOF and
    exit, records seen): records are lines of a table (header included) or elements of a JSON
    array (counted by the `},{` between flat objects)."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err)
        fd = proc.stdout.fileno()
        chunk = os.read(fd, 1 << 16)
        first = (time.perf_counter() - t0) * 1000
        count, tail, size = 0, b"", 0
        while chunk:
            size += len(chunk)
            if json_output:
                data = tail + chunk
                count += data.count(b"},{")
                tail = data[-2:]
            else:
                count += chunk.count(b"\n")
            chunk = os.read(fd, 1 << 16)
        proc.stdout.close()
        code = proc.wait()
        total = (time.perf_counter() - t0) * 1000
        if code != 0:
            err.seek(0)
            sys.exit(f"{argv} exited {code}: {err.read().decode()}")
    if json_output and size > 3:
        count += 1
    return first, total, count


def rounds(cases, runs, warmup):
    """cases: name -> fn returning a number or a dict of numbers. One call of each per round."""
    samples = {}
    for i in range(warmup + runs):
        for name, fn in cases.items():
            value = fn()
            if i < warmup:
                continue
            for key, v in (value.items() if isinstance(value, dict) else [(None, value)]):
                samples.setdefault(f"{name}: {key}" if key else name, []).append(v)
    return samples


def summarize(samples, unit):
    return {name: {f"median_{unit}": round(statistics.median(v), 2), f"min_{unit}": round(min(v), 2),
                   f"max_{unit}": round(max(v), 2), "runs": len(v)} for name, v in samples.items()}


def bench_check(cm, tmp, args, big_db):
    db = os.path.join(tmp, "check.db")
    cm.new_db(db)
    token = json.loads(cm.run(db, "--json", "session", "create", "alice", "--no-verify", "--ttl", "7d", "--idle", "7d"))["token"]
    line = token.encode() + b"\n"
    unknown = ("cms_" + "A" * 43 + "\n").encode()
    cases = {
        "spawn /bin/true from Python (overhead)": lambda: spawn(["/bin/true"]),
        "credman --version (process start alone)": lambda: spawn([cm.path, "--version"]),
        "session check, valid token": lambda: spawn([cm.path, "--db", db, "session", "check"], line, 0),
        "session check, unknown token": lambda: spawn([cm.path, "--db", db, "session", "check"], unknown, 1),
    }
    if big_db:
        # A real token of the big fixture: the lookup is an index probe, the size should not show.
        big_line = token_of(args.rows // 2)[0].encode() + b"\n"
        cases[f"session check, valid token, {args.rows} sessions in the db"] = (
            lambda: spawn([cm.path, "--db", big_db, "session", "check"], big_line, 0))
    log(f"check: {args.runs} interleaved rounds")
    out = summarize(rounds(cases, args.runs, warmup=3), "ms")
    spawn_ms = out["spawn /bin/true from Python (overhead)"]["median_ms"]
    for name, row in out.items():
        if name.startswith("session check"):
            row["median_minus_spawn_ms"] = round(row["median_ms"] - spawn_ms, 2)
            row["bar_ms"] = 5
    return out


def bench_prune(cm, tmp, args):
    template = os.path.join(tmp, "prune-template.db")
    cm.new_db(template)

    def build():
        """bulk-insert the expired sessions"""
        bulk(template, fill_sessions(args.rows, lambda conn: [], expired=True))

    timed(build)
    log(f"  fixture: {os.path.getsize(template) / 1e6:.0f} MB")
    db = os.path.join(tmp, "prune.db")

    def one():
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        shutil.copyfile(template, db)
        os.chmod(db, 0o600)
        with open(db, "rb+") as f:
            os.fsync(f.fileno())
        os.sync()
        t0 = time.perf_counter()
        out = cm.run(db, "--json", "session", "prune")
        elapsed = (time.perf_counter() - t0) * 1000
        pruned = json.loads(out)["pruned"]
        if pruned != args.rows:
            sys.exit(f"session prune printed {pruned}, expected {args.rows}")
        return elapsed

    log(f"prune: {args.big_runs} runs")
    out = summarize(rounds({f"session prune of {args.rows} expired rows": one}, args.big_runs, warmup=0), "ms")
    for row in out.values():
        row["bar_ms"] = 5000
    os.remove(template)
    return out


def bench_listing(cm, db, what, args, expect_records):
    cases = {}
    for json_output in (False, True):
        argv = [cm.path, "--db", db] + (["--json"] if json_output else []) + what

        def one(argv=argv, json_output=json_output):
            first, total, count = stream(argv, json_output)
            if count != expect_records(json_output):
                sys.exit(f"{argv[3:]} gave {count} records, expected {expect_records(json_output)}")
            return {"first byte": first, "total": total}

        cases[" ".join(argv[3:])] = one
    cases["spawn /bin/true from Python (overhead)"] = lambda: spawn(["/bin/true"])
    out = summarize(rounds(cases, args.big_runs, warmup=1), "ms")
    for name, row in out.items():
        if name.endswith("first byte"):
            row["bar_ms"] = 100
    return out


def bench_list(cm, tmp, args):
    db = os.path.join(tmp, "list.db")
    cm.new_db(db)

    def build():
        """bulk-insert 999 more users and the active sessions, spread over the 1000 users"""
        conn = sqlite3.connect(db)
        hash_ = conn.execute("SELECT hash FROM users WHERE name = 'alice'").fetchone()[0]
        conn.close()
        bulk(db, fill_sessions(args.rows, lambda conn: fill_users(999, hash_, "member")(conn), expired=False))

    timed(build)
    log(f"  fixture: {os.path.getsize(db) / 1e6:.0f} MB")
    log(f"list: {args.big_runs} interleaved rounds")
    # A table has a header line; a JSON array has one element per session.
    out = bench_listing(cm, db, ["session", "list"], args, lambda j: args.rows if j else args.rows + 1)
    return out, db


def bench_users(cm, tmp, args):
    db = os.path.join(tmp, "users.db")
    cm.run(db, "init")
    hash_ = cm.run(None, "hash", "--password-stdin", stdin=PASSWORD).strip()
    assert hash_.startswith("$argon2id$"), hash_

    def build():
        """bulk-insert the users"""
        bulk(db, fill_users(args.rows, hash_))

    timed(build)
    log(f"  fixture: {os.path.getsize(db) / 1e6:.0f} MB")
    log(f"users: {args.big_runs} interleaved rounds")
    out = bench_listing(cm, db, ["user", "list"], args, lambda j: args.rows if j else args.rows + 1)
    os.remove(db)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30, help="rounds of the cheap `session check` cases (default 30)")
    ap.add_argument("--big-runs", type=int, default=5, help="runs of each million-row case (default 5)")
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows in the big fixtures (default 1000000)")
    ap.add_argument("--only", default=",".join(WHAT), help="comma-separated subset of " + ",".join(WHAT))
    ap.add_argument("--credman", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "credman"))
    ap.add_argument("--tmp", help="where to make the temporary directory (default: $TMPDIR)")
    ap.add_argument("--json", action="store_true", help="print the numbers as one JSON document")
    args = ap.parse_args()
    only = set(args.only.split(","))
    if only - set(WHAT):
        ap.error(f"--only: unknown {', '.join(sorted(only - set(WHAT)))}")

    cm = Credman(os.path.abspath(args.credman))
    results = {}
    with tempfile.TemporaryDirectory(prefix="credman-bench-", dir=args.tmp) as tmp:
        big_db = None
        if "prune" in only:
            results["prune"] = bench_prune(cm, tmp, args)
        if "list" in only:
            results["list"], big_db = bench_list(cm, tmp, args)
        if "check" in only:
            results["check"] = bench_check(cm, tmp, args, big_db)
        if big_db:
            os.remove(big_db)
        if "users" in only:
            results["users"] = bench_users(cm, tmp, args)

    if args.json:
        json.dump(results, sys.stdout, indent=2)
        print()
        return
    for section, rows in results.items():
        width = max(len(n) for n in rows)
        print(f"\n[{section}]\n{'what':<{width}}  median ms   min ms   max ms  runs   bar")
        for name, row in rows.items():
            bar = f"<= {row['bar_ms']} ms" if "bar_ms" in row else ""
            verdict = ""
            if bar:
                value = row.get("median_minus_spawn_ms", row["median_ms"])
                verdict = " ok" if value <= row["bar_ms"] else " MISSED"
            print(f"{name:<{width}}  {row['median_ms']:>9.2f} {row['min_ms']:>8.2f} {row['max_ms']:>8.2f}  {row['runs']:>4}   {bar}{verdict}")
            if "median_minus_spawn_ms" in row:
                print(f"{'  minus the /bin/true spawn':<{width}}  {row['median_minus_spawn_ms']:>9.2f}")


if __name__ == "__main__":
    main()

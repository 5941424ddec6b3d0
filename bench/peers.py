#!/usr/bin/env python3
"""credman's verify against its peers', on this machine, in one run: argon2-cffi, the argon2
reference CLI, Werkzeug, htpasswd, python bcrypt and passlib, each on a hash made by the library
that owns the format, at the owner's default parameters and, where the format allows, at equal
ones.

Usage: bench/peers.py [--runs N] [--warmup N] [--seed N] [--only GROUP,...] [--json]
                      [--credman PATH] [--credman-bench PATH]
       bench/peers.sh [same options]   (installs the peers, builds, then runs this; by hand only)

Needs the venv that bench/peers.sh makes (argon2-cffi, Werkzeug, passlib, bcrypt), `argon2`
(Debian's argon2 package) and `htpasswd` (apache2-utils) on PATH, the release binary and the
`hashing` bench binary (benches/hashing.rs; found through cargo unless --credman-bench names it).

Two kinds of figures, never compared with each other:
  in-process  one verify call in a warm process: argon2-cffi, Werkzeug, passlib and bcrypt timed
              here with perf_counter around the call; credman's library timed inside the
              benches/hashing.rs binary run as a loop (CREDMAN_BENCH_PEER_LOOP=1), which reports
              the time of `hashing::verify_password` alone.
  process     a whole process from spawn to exit, timed here: `credman hash verify HASH
              --password-stdin`, `htpasswd -i -v FILE USER` and `argon2 SALT -id -t T -k M -p P
              -e` (the CLI only hashes: it is given the stored hash's salt and parameters, and its
              output is compared with the stored string, which is exactly a verify's work).
              Python's start (20-40 ms) would swamp such a figure, so the Python libraries are
              timed in-process only. Spawning from Python is in every process figure; the `start`
              group measures it and each tool's start without a KDF.
No password is ever on argv: every process reads it on stdin (`htpasswd -i -v`, not `-vb`), the
loop reads it as its first line, the Python libraries get it in-process.

Before timing, every case must accept the right password and refuse a wrong one, and every timed
run must accept the right password again (exit status, return value or printed hash), so no
figure comes from a failing command. Rounds are interleaved: every case runs once per round, in an
order shuffled per round (--seed), so a machine that slows down or speeds up during the run
affects every case alike. Reported per case: median and min (ms) and, per hash, the median over
credman's of the same kind ("vs credman": 2.00x = twice credman's time). The load average is
recorded before and after. The table goes to stdout; with --json the table goes to stderr and one
JSON document to stdout.
"""

import argparse
import base64
import gc
import importlib.metadata
import json
import os
import platform
import random
import secrets
import statistics
import string
import subprocess
import sys
import tempfile
import time
import warnings

from benchlib import log

PASSWORD = "correct horse battery staple"
WRONG = "correct horse battery stapler"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# passlib 1.7.4 (2020) imports the `crypt` module (deprecated since 3.11) and reads
# argon2.__version__ (deprecated by argon2-cffi 23.1); both only warn.
warnings.filterwarnings("ignore", category=DeprecationWarning)


def fail(msg):
    sys.exit(f"peers.py: {msg}")


def loadavg():
    return [round(x, 2) for x in os.getloadavg()]


class Case:
    """One verifier on one hash. `verify(right)` runs it once, with the right password or a wrong
    one, and returns (accepted, milliseconds)."""

    def __init__(self, group, what, kind, verify, how):
        self.group, self.what, self.kind, self.verify, self.how = group, what, kind, verify, how


def in_process(fn):
    def verify(right):
        password = PASSWORD if right else WRONG
        t0 = time.perf_counter()
        accepted = fn(password)
        return bool(accepted), (time.perf_counter() - t0) * 1000

    return verify


def process(argv, stdin_for, accepted_if):
    """A whole process: spawn, feed stdin (the password and whatever the tool needs), wait.
    `accepted_if(returncode, stdout)` says whether the tool accepted the password."""

    def verify(right):
        t0 = time.perf_counter()
        proc = subprocess.run(argv, input=stdin_for(right), capture_output=True)
        elapsed = (time.perf_counter() - t0) * 1000
        if right and not accepted_if(proc.returncode, proc.stdout):
            log(f"{argv[0]} exited {proc.returncode}: {proc.stderr.decode(errors='replace').strip()}")
        return accepted_if(proc.returncode, proc.stdout), elapsed

    return verify


class CredmanLoop:
    """credman's library, in-process: the benches/hashing.rs binary in its peer loop mode."""

    def __init__(self, exe):
        env = dict(os.environ, CREDMAN_BENCH_PEER_LOOP="1")
        self.proc = subprocess.Popen([exe], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True, bufsize=1)
        self.proc.stdin.write(f"{PASSWORD}\n{WRONG}\n")

    def verifier(self, stored):
        def verify(right):
            self.proc.stdin.write(f"{'right' if right else 'wrong'} {stored}\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline().split()
            if len(line) != 2:
                fail(f"the credman loop stopped (exit {self.proc.poll()})")
            return line[0] == "match", int(line[1]) / 1e6

        return verify

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def printable_salt(n=16):
    """A salt the argon2 CLI can take on argv (it takes the salt as text), for hashes that the
    CLI must reproduce."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(n)).encode()


def argon2_phc(stored):
    """(t, m, p, salt bytes, tag length) of a `$argon2id$v=19$m=..,t=..,p=..$salt$tag` string."""
    _, alg, version, params, salt, tag = stored.split("$")
    assert alg == "argon2id" and version == "v=19", stored
    kv = dict(x.split("=") for x in params.split(","))
    unb64 = lambda s: base64.b64decode(s + "=" * (-len(s) % 4))  # noqa: E731
    return kv["t"], kv["m"], kv["p"], unb64(salt), len(unb64(tag))


def htpasswd_make(args, tmp, name):
    """A hash made by htpasswd itself (password on stdin), written as a one-line file for -v."""
    out = subprocess.run(["htpasswd", "-i", "-n", *args, "bench"], input=f"{PASSWORD}\n".encode(), capture_output=True, check=True).stdout.decode()
    line = out.splitlines()[0]
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(line + "\n")
    return line.split(":", 1)[1], path


def find_bench_exe():
    """The benches/hashing.rs binary of the release profile, built if needed, as cargo names it."""
    out = subprocess.run(
        ["cargo", "bench", "--quiet", "--bench", "hashing", "--no-run", "--message-format=json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "hashing" and msg.get("executable"):
            return msg["executable"]
    fail("cargo named no executable for the hashing bench")


def versions(credman):
    def pkg(name):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return None

    def deb(name):
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", name], capture_output=True, text=True)
        return r.stdout if r.returncode == 0 else None

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
    return {
        "credman": subprocess.run([credman, "--version"], capture_output=True, text=True).stdout.strip(),
        "python": platform.python_version(),
        **{p: pkg(p) for p in ("argon2-cffi", "argon2-cffi-bindings", "Werkzeug", "passlib", "bcrypt")},
        "argon2 (deb)": deb("argon2"),
        "apache2-utils (deb)": deb("apache2-utils"),
        "cpu": cpu,
        "cpus": os.cpu_count(),
    }


# The hashes, in table order: key -> (what it is, parameters, who made it).
GROUPS = {
    "argon2-owasp": ("argon2id, credman's default (OWASP)", "m=19456,t=2,p=1", "argon2-cffi"),
    "argon2-cffi": ("argon2id, argon2-cffi's and passlib's default", "m=65536,t=3,p=4", "argon2-cffi"),
    "werkzeug-scrypt": ("Werkzeug scrypt (its default)", "N=32768,r=8,p=1", "Werkzeug"),
    "werkzeug-pbkdf2": ("Werkzeug pbkdf2 (its `method=\"pbkdf2\"`)", "sha256, 1 000 000", "Werkzeug"),
    "passlib-pbkdf2-1m": ("passlib pbkdf2_sha256 (at Werkzeug's count)", "sha256, 1 000 000", "passlib"),
    "passlib-pbkdf2": ("passlib pbkdf2_sha256 (its default)", "sha256, 29 000", "passlib"),
    "bcrypt-5": ("bcrypt `$2y$`, htpasswd -B's default", "cost 5", "htpasswd -B"),
    "bcrypt-12": ("bcrypt `$2y$`, python bcrypt's and credman's cost", "cost 12", "htpasswd -B -C 12"),
    "start": ("process start, no KDF to speak of", "", ""),
}


def build_cases(args, tmp, loop):
    import argon2  # argon2-cffi
    import bcrypt
    from passlib import hash as passlib_hash
    from werkzeug.security import check_password_hash, generate_password_hash

    ph = argon2.PasswordHasher()

    def cffi_verify(password, stored):
        try:
            return ph.verify(stored, password)
        except argon2.exceptions.VerifyMismatchError:
            return False

    line = lambda right: f"{PASSWORD if right else WRONG}\n".encode()  # noqa: E731

    def credman_cli(stored):
        return process(
            [args.credman, "hash", "verify", stored, "--password-stdin"], line, lambda rc, _: rc == 0
        ), "`credman hash verify HASH --password-stdin`"

    def argon2_cli(stored):
        t, m, p, salt, taglen = argon2_phc(stored)
        # The CLI reads all of stdin as the password, so no newline.
        raw = lambda right: (PASSWORD if right else WRONG).encode()  # noqa: E731
        argv = ["argon2", salt.decode(), "-id", "-t", t, "-k", m, "-p", p, "-l", str(taglen), "-e"]
        return process(argv, raw, lambda rc, out: rc == 0 and out.decode().strip() == stored), f"`argon2 SALT -id -t {t} -k {m} -p {p} -e`, output == hash"

    def htpasswd_cli(path):
        return process(["htpasswd", "-i", "-v", path, "bench"], line, lambda rc, _: rc == 0), "`htpasswd -i -v FILE bench` (password on stdin)"

    hashes = {}
    cases = []

    def add(group, what, kind, pair):
        verify, how = pair
        cases.append(Case(group, what, kind, verify, how))

    def credman_both(group, stored):
        add(group, "credman library", "in-process", (loop.verifier(stored), "`hashing::verify_password` (benches/hashing.rs loop)"))
        add(group, "credman CLI", "process", credman_cli(stored))

    only = set(args.only.split(",")) if args.only else set(GROUPS)

    if "argon2-owasp" in only:
        g = "argon2-owasp"
        stored = argon2.PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash(PASSWORD, salt=printable_salt())
        hashes[g] = stored
        add(g, "argon2-cffi `PasswordHasher().verify`", "in-process", (in_process(lambda pw, s=stored: cffi_verify(pw, s)), ""))
        add(g, "passlib `argon2.verify`", "in-process", (in_process(lambda pw, s=stored: passlib_hash.argon2.verify(pw, s)), ""))
        add(g, "argon2 CLI", "process", argon2_cli(stored))
        credman_both(g, stored)
    if "argon2-cffi" in only:
        g = "argon2-cffi"
        stored = argon2.PasswordHasher().hash(PASSWORD, salt=printable_salt())
        if not stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$"):
            fail(f"argon2-cffi's default is no longer m=65536,t=3,p=4: {stored[:32]}")
        hashes[g] = stored
        add(g, "argon2-cffi `PasswordHasher().verify`", "in-process", (in_process(lambda pw, s=stored: cffi_verify(pw, s)), ""))
        add(g, "passlib `argon2.verify`", "in-process", (in_process(lambda pw, s=stored: passlib_hash.argon2.verify(pw, s)), ""))
        add(g, "argon2 CLI", "process", argon2_cli(stored))
        credman_both(g, stored)
    if "werkzeug-scrypt" in only:
        g = "werkzeug-scrypt"
        stored = generate_password_hash(PASSWORD)
        if not stored.startswith("scrypt:32768:8:1$"):
            fail(f"Werkzeug's default is no longer scrypt:32768:8:1: {stored[:20]}")
        hashes[g] = stored
        add(g, "Werkzeug `check_password_hash`", "in-process", (in_process(lambda pw, s=stored: check_password_hash(s, pw)), ""))
        credman_both(g, stored)
    if "werkzeug-pbkdf2" in only:
        g = "werkzeug-pbkdf2"
        stored = generate_password_hash(PASSWORD, method="pbkdf2")
        if not stored.startswith("pbkdf2:sha256:1000000$"):
            fail(f"Werkzeug's pbkdf2 is no longer pbkdf2:sha256:1000000: {stored[:25]}")
        hashes[g] = stored
        add(g, "Werkzeug `check_password_hash`", "in-process", (in_process(lambda pw, s=stored: check_password_hash(s, pw)), ""))
        credman_both(g, stored)
    for g, rounds in (("passlib-pbkdf2-1m", 1_000_000), ("passlib-pbkdf2", None)):
        if g not in only:
            continue
        handler = passlib_hash.pbkdf2_sha256 if rounds is None else passlib_hash.pbkdf2_sha256.using(rounds=rounds)
        stored = handler.hash(PASSWORD)
        want = f"$pbkdf2-sha256${rounds or 29000}$"
        if not stored.startswith(want):
            fail(f"passlib made {stored[:24]}, expected {want}")
        hashes[g] = stored
        add(g, "passlib `pbkdf2_sha256.verify`", "in-process", (in_process(lambda pw, s=stored: passlib_hash.pbkdf2_sha256.verify(pw, s)), ""))
        credman_both(g, stored)
    for g, extra in (("bcrypt-5", []), ("bcrypt-12", ["-C", "12"])):
        if g not in only:
            continue
        stored, path = htpasswd_make(["-B", *extra], tmp, g)
        want = "$2y$05$" if not extra else "$2y$12$"
        if not stored.startswith(want):
            fail(f"htpasswd made {stored[:7]}, expected {want}")
        hashes[g] = stored
        add(g, "python bcrypt `checkpw`", "in-process", (in_process(lambda pw, s=stored: bcrypt.checkpw(pw.encode(), s.encode())), ""))
        add(g, "passlib `bcrypt.verify`", "in-process", (in_process(lambda pw, s=stored: passlib_hash.bcrypt.verify(pw, s)), ""))
        add(g, "htpasswd", "process", htpasswd_cli(path))
        credman_both(g, stored)
    if "start" in only:
        g = "start"
        sha, sha_path = htpasswd_make(["-s"], tmp, "sha")  # {SHA}: one SHA-1, no KDF
        hashes[g] = sha
        cheap = argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD, salt=printable_salt())
        nothing = lambda right: b""  # noqa: E731
        add(g, "spawn `/bin/true` from Python", "process", (process(["/bin/true"], nothing, lambda rc, _: rc == 0), ""))
        add(g, "`credman --version`", "process", (process([args.credman, "--version"], nothing, lambda rc, _: rc == 0), ""))
        pair = credman_cli(sha)
        add(g, "credman CLI, `{SHA}` hash", "process", (pair[0], pair[1]))
        add(g, "htpasswd, `{SHA}` hash", "process", htpasswd_cli(sha_path))
        add(g, "argon2 CLI, m=8,t=1,p=1", "process", argon2_cli(cheap))
    return cases, hashes


def check(cases):
    """Every case accepts the right password and refuses a wrong one, once, before any timing."""
    for c in cases:
        if c.group == "start" and c.what.startswith(("spawn", "`credman --version")):
            if not c.verify(True)[0]:
                fail(f"{c.what} failed")
            continue
        ok, _ = c.verify(True)
        if not ok:
            fail(f"{GROUPS[c.group][0]}: {c.what} did not accept the right password")
        refused = not c.verify(False)[0]
        if not refused:
            fail(f"{GROUPS[c.group][0]}: {c.what} accepted a wrong password")


def measure(cases, runs, warmup, seed):
    rng = random.Random(seed)
    samples = [[] for _ in cases]
    order = list(range(len(cases)))
    gc.collect()
    gc.disable()
    try:
        for i in range(warmup + runs):
            rng.shuffle(order)
            t0 = time.perf_counter()
            for k in order:
                ok, ms = cases[k].verify(True)
                if not ok:
                    fail(f"round {i}: {GROUPS[cases[k].group][0]}: {cases[k].what} did not accept the right password")
                if i >= warmup:
                    samples[k].append(ms)
            if i == 0 or (i + 1) % 10 == 0:
                log(f"round {i + 1}/{warmup + runs} ({'warm-up' if i < warmup else 'timed'}): {time.perf_counter() - t0:.1f} s")
    finally:
        gc.enable()
    return samples


def fmt_ms(ms):
    if ms >= 100:
        return f"{ms:.0f} ms"
    if ms >= 10:
        return f"{ms:.1f} ms"
    return f"{ms:.2f} ms"


def summarize(cases, samples):
    rows = []
    for c, s in zip(cases, samples):
        rows.append({
            "group": c.group, "what": c.what, "kind": c.kind, "how": c.how,
            "median_ms": round(statistics.median(s), 3), "min_ms": round(min(s), 3), "runs": len(s),
        })
    for r in rows:
        if r["group"] == "start":
            r["vs_credman"] = None
            continue
        ref_what = "credman library" if r["kind"] == "in-process" else "credman CLI"
        ref = next(x for x in rows if x["group"] == r["group"] and x["what"] == ref_what)
        r["vs_credman"] = round(r["median_ms"] / ref["median_ms"], 2)
    return rows


def table(rows, hashes, meta):
    out = []
    out.append(f"{meta['runs']} interleaved rounds (after {meta['warmup']} warm-up), seed {meta['seed']}; "
               f"load average before {' '.join(map(str, meta['loadavg_before']))}, after {' '.join(map(str, meta['loadavg_after']))}; "
               f"{meta['versions']['cpus']} CPUs, {meta['versions']['cpu']}")
    v = meta["versions"]
    out.append(f"{v['credman']}; Python {v['python']}: argon2-cffi {v['argon2-cffi']} (bindings {v['argon2-cffi-bindings']}), "
               f"Werkzeug {v['Werkzeug']}, passlib {v['passlib']}, bcrypt {v['bcrypt']}; "
               f"Debian argon2 {v['argon2 (deb)']}, apache2-utils {v['apache2-utils (deb)']}")
    out.append("")
    out.append("| what | params | in-process or process | median | min | vs credman |")
    out.append("|---|---|---|---|---|---|")
    for g, (title, params, maker) in GROUPS.items():
        group_rows = [r for r in rows if r["group"] == g]
        if not group_rows:
            continue
        made = f", made by {maker}" if maker else ""
        out.append(f"| **{title}**{made} | | | | | |")
        for r in sorted(group_rows, key=lambda r: (r["kind"] != "in-process", r["what"].startswith("credman"))):
            vs = "" if r["vs_credman"] is None else ("1.00x" if r["what"].startswith("credman") else f"{r['vs_credman']:.2f}x")
            out.append(f"| {r['what']} | {params} | {r['kind']} | {fmt_ms(r['median_ms'])} | {fmt_ms(r['min_ms'])} | {vs} |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description="credman's verify against its peers' (see the module doc)")
    ap.add_argument("--runs", type=int, default=30, help="timed rounds (default 30, ~2.5 min on 2 cores)")
    ap.add_argument("--warmup", type=int, default=2, help="untimed rounds first (default 2)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the per-round shuffle")
    ap.add_argument("--only", help=f"comma-separated groups: {','.join(GROUPS)}")
    ap.add_argument("--credman", default=os.path.join(ROOT, "target", "release", "credman"))
    ap.add_argument("--credman-bench", help="the benches/hashing.rs binary (default: asked of cargo)")
    ap.add_argument("--json", action="store_true", help="JSON on stdout, the table on stderr")
    args = ap.parse_args()
    if args.runs < 1:
        fail("--runs must be at least 1")
    unknown = set(args.only.split(",")) - set(GROUPS) if args.only else set()
    if unknown:
        fail(f"--only: no group {', '.join(sorted(unknown))}; the groups: {', '.join(GROUPS)}")
    args.credman = os.path.abspath(args.credman)
    for tool in ("argon2", "htpasswd"):
        if not any(os.access(os.path.join(d, tool), os.X_OK) for d in os.environ.get("PATH", "").split(":")):
            fail(f"{tool} is not on PATH (bench/peers.sh installs it)")
    exe = args.credman_bench or find_bench_exe()

    load_before = loadavg()
    log(f"load average at the start: {' '.join(map(str, load_before))} ({os.cpu_count()} CPUs)")
    loop = CredmanLoop(exe)
    with tempfile.TemporaryDirectory() as tmp:
        cases, hashes = build_cases(args, tmp, loop)
        check(cases)
        log(f"{len(cases)} cases checked (right password accepted, wrong refused); timing")
        samples = measure(cases, args.runs, args.warmup, args.seed)
    loop.close()
    load_after = loadavg()
    log(f"load average at the end: {' '.join(map(str, load_after))}")

    meta = {
        "runs": args.runs, "warmup": args.warmup, "seed": args.seed,
        "loadavg_before": load_before, "loadavg_after": load_after,
        "uptime_after": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
        "versions": versions(args.credman),
    }
    rows = summarize(cases, samples)
    text = table(rows, hashes, meta)
    if args.json:
        log(text)
        json.dump({"meta": meta, "hashes": hashes, "cases": rows}, sys.stdout, indent=2)
        print()
    else:
        print(text)


if __name__ == "__main__":
    main()

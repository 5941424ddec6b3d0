"""What the bench scripts share: a log line on stderr, and running the credman binary."""

import subprocess
import sys


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Credman:
    """The binary under test. `run` exits the script when a command does not exit as expected,
    so that no figure is ever taken from a failing command."""

    def __init__(self, path):
        self.path = path

    def run(self, db, *args, stdin=b"", expect=0):
        argv = [self.path] + (["--db", db] if db else []) + list(args)
        proc = subprocess.run(argv, input=stdin, capture_output=True)
        if proc.returncode != expect:
            sys.exit(f"{argv[1:]} exited {proc.returncode}, expected {expect}: {proc.stderr.decode()[:2000]}")
        return proc.stdout.decode()

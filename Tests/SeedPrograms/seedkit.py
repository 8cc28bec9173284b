"""Plumbing shared by the seed-program replicas. None of this exists in the originals.

Every replica server:
  * prints exactly one first stdout line `LISTENING <host> <port>` (flushed) right after listen(),
    and nothing else on stdout; the original programs' own log lines go to stderr instead;
  * exits by itself (os._exit(LIFETIME_EXIT_CODE)) after `--lifetime` seconds, so a test can never
    leak a process. `--lifetime 0` disables the limit.
"""
import argparse
import os
import sys
import threading

LIFETIME_EXIT_CODE = 124  # same convention as GNU timeout(1)
DEFAULT_LIFETIME = 60.0


def log(*parts):
    """Where the original printed to stdout, the replica prints to stderr."""
    print(*parts, file=sys.stderr, flush=True)


def arm_lifetime(seconds):
    if seconds is None or seconds <= 0:
        return

    def expire():
        log(f"[replica] lifetime of {seconds:g} s is over, exiting")
        try:
            sys.stdout.flush()
        except Exception:
            pass
        os._exit(LIFETIME_EXIT_CODE)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()


def announce(listener):
    host, port = listener.getsockname()[:2]
    print(f"LISTENING {host} {port}", flush=True)


def server_parser(description, default_host, default_port, with_host=True):
    parser = argparse.ArgumentParser(description=description)
    if with_host:
        parser.add_argument("--host", default=default_host,
                            help=f"address to bind (default {default_host})")
    parser.add_argument("--port", type=int, default=default_port,
                        help=f"port to bind, 0 for an ephemeral port (default {default_port})")
    parser.add_argument("--lifetime", type=float, default=DEFAULT_LIFETIME,
                        help=f"exit with code {LIFETIME_EXIT_CODE} after this many seconds; 0 = never "
                             f"(default {DEFAULT_LIFETIME:g})")
    return parser

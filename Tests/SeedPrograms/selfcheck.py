#!/usr/bin/env python3
"""Self-check of the seed-program replicas: starts every server on port 0, probes it with raw
sockets, and asserts the wire behaviour documented in README.md (and in the research notes the
replicas were written from). Also runs each replica client once. Loopback only, bounded time.

Usage: selfcheck.py [-v]. Exit 0 when every check passes, 1 otherwise.
"""
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VERBOSE = "-v" in sys.argv[1:]
OVERALL_LIMIT_SECONDS = 120
IO_TIMEOUT = 3.0       # upper bound for any single expected event
QUIET = 0.3            # "nothing more arrives" window; only ever used to assert an absence
ERROR_REPLY = b"Received data is not valid integer"
PAR = b" PAR "
IMPAR = b" \xc3\x8dMPAR "


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def note(message):
    if VERBOSE:
        print(f"    {message}", flush=True)


class Server:
    """One replica server process, started with --port 0 and a short lifetime."""

    def __init__(self, name, *arguments, lifetime=40):
        self.name = name
        self.errors = tempfile.TemporaryFile()
        command = [sys.executable, os.path.join(HERE, f"{name}.py"), *arguments,
                   "--port", "0", "--lifetime", str(lifetime)]
        environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=self.errors, env=environment)
        ready, _, _ = select.select([self.process.stdout], [], [], 10)
        line = self.process.stdout.readline().decode() if ready else ""
        match = re.fullmatch(r"LISTENING (\S+) (\d+)\n", line)
        if not match:
            self.stop()
            raise CheckFailed(f"{name}: expected a LISTENING line, got {line!r}; stderr {self.stderr()!r}")
        self.host, self.port = match.group(1), int(match.group(2))
        expect(self.port != 0, f"{name}: announced port 0")

    def connect(self, timeout=IO_TIMEOUT):
        client = socket.create_connection((self.host, self.port), timeout=timeout)
        client.settimeout(timeout)
        return client

    def wait(self, timeout=IO_TIMEOUT):
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stderr(self):
        self.errors.seek(0)
        return self.errors.read().decode(errors="replace")

    def extra_stdout(self):
        """Whatever the server printed on stdout after the LISTENING line (must be nothing)."""
        self.stop()
        return self.process.stdout.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(2)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def read_until_end(client, limit=1 << 16):
    """Reads until EOF, reset or IO_TIMEOUT. Returns (bytes, 'eof' | 'reset' | 'timeout')."""
    received = b""
    while len(received) < limit:
        try:
            chunk = client.recv(4096)
        except socket.timeout:
            return received, "timeout"
        except ConnectionResetError:
            return received, "reset"
        if not chunk:
            return received, "eof"
        received += chunk
    return received, "limit"


def read_one(client, timeout=IO_TIMEOUT):
    """One recv(1024), like the seed clients; None on timeout, b'' on EOF."""
    client.settimeout(timeout)
    try:
        return client.recv(1024)
    except socket.timeout:
        return None


def stays_silent(client, seconds=QUIET):
    """True when nothing at all (no byte, no EOF, no reset) arrives for `seconds`."""
    client.settimeout(seconds)
    try:
        client.recv(1024)
    except socket.timeout:
        return True
    except ConnectionResetError:
        return False
    return False


def refused(host, port):
    try:
        socket.create_connection((host, port), timeout=IO_TIMEOUT).close()
    except ConnectionRefusedError:
        return True
    return False


def reset_close(client):
    """Closes with SO_LINGER 0, which makes the kernel send RST instead of FIN."""
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    client.close()


def reset_storm(server, attempts=200):
    """Connects and resets at once, repeatedly, until the server process dies; returns its exit
    code (None if it survived). A reset that lands before the server's send() makes send() raise."""
    for _ in range(attempts):
        try:
            client = server.connect()
        except OSError:
            break
        reset_close(client)
        if server.process.poll() is not None:
            break
    return server.wait()


def unused_port():
    """A loopback port with nothing listening (bound, never listened, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_client(name, *arguments, stdin=b"", environment=None, timeout=15):
    command = [sys.executable, os.path.join(HERE, f"{name}.py"), *arguments]
    result = subprocess.run(command, input=stdin, capture_output=True, timeout=timeout,
                            env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **(environment or {})))
    return result.returncode, result.stdout.decode(), result.stderr.decode()


# --- 000 bare ------------------------------------------------------------------------------

def check_seed000():
    server = Server("seed000_server")
    try:
        seen = set()
        for _ in range(300):
            with server.connect() as client:
                data, ending = read_until_end(client)
            expect(ending == "eof", f"bare: expected EOF after the number, got {ending}")
            expect(re.fullmatch(rb"1\d|20", data) is not None, f"bare: reply {data!r} is not 10..20")
            seen.add(int(data))
        # 300 draws over 11 values: missing one has probability < 11 * (10/11)^300 ~ 4e-12.
        expect(seen == set(range(10, 21)), f"bare: values seen {sorted(seen)}")
        note("300 connections: 2-byte numbers 10..20, every value seen, FIN after each")

        # A client that sends makes the close an RST (or, if the bytes land after the close, a FIN).
        with server.connect() as client:
            client.sendall(b"hello\n")
            data, ending = read_until_end(client)
        expect(re.fullmatch(rb"1\d|20", data) is not None and ending in ("reset", "eof"),
               f"bare: sending client got {data!r} then {ending}")
        note(f"client that sends: {data!r} then {ending}")
        with server.connect() as client:
            data, ending = read_until_end(client)
        expect(ending == "eof" and data, "bare: server stopped serving after a sending client")

        rc, out, err = run_client("seed000_client", server.host, str(server.port))
        expect(rc == 0 and re.fullmatch(r"(1\d|20)\n", out), f"bare client: rc {rc}, out {out!r}, err {err!r}")
        note(f"client printed {out.strip()}")
        expect(server.extra_stdout() == b"", "bare: server printed more than the LISTENING line on stdout")
    finally:
        server.stop()

    # send() is unguarded: a client that resets before the server sends kills the process.
    server = Server("seed000_server")
    try:
        rc = reset_storm(server)
        expect(rc == 1 and ("ConnectionResetError" in server.stderr() or "BrokenPipeError" in server.stderr()),
               f"bare: reset storm -> rc {rc}, stderr {server.stderr()[-300:]!r}")
        note("connect+reset storm: send() raises, traceback, exit 1")
    finally:
        server.stop()


# --- 001 request ---------------------------------------------------------------------------

def check_seed001():
    server = Server("seed001_server")
    try:
        first = server.connect()
        first.sendall(b"Example request")
        reply = read_one(first)
        expect(reply is not None and re.fullmatch(rb"[1-9]\d{0,4}", reply) and 1 <= int(reply) <= 10000,
               f"request: first reply {reply!r}")
        expect(stays_silent(first), "request: server closed or sent more after its reply")
        note(f"reply {reply!r}, then the connection stays open")

        # One reply per chunk, on the same connection, for as long as the client keeps it.
        for index in range(200):
            first.sendall(b"x")
            reply = read_one(first)
            expect(reply is not None and re.fullmatch(rb"[1-9]\d{0,4}", reply) and 1 <= int(reply) <= 10000,
                   f"request: reply {index} {reply!r}")
        note("200 more chunks on one connection: 200 replies in 1..10000")

        # accept() ran once: a second client's connect completes but is never answered.
        second = server.connect()
        second.sendall(b"Example request")
        expect(stays_silent(second), "request: a second client got an answer")
        note("second client: connected, no answer")

        # Half-close: the server closes and the process exits 0; nothing listens afterwards.
        first.shutdown(socket.SHUT_WR)
        data, ending = read_until_end(first)
        expect(data == b"" and ending == "eof", f"request: after half-close got {data!r} {ending}")
        first.close()
        rc = server.wait()
        expect(rc == 0, f"request: process exit code {rc} after the client closed")
        expect(refused(server.host, server.port), "request: still accepting after the first client")
        data, ending = read_until_end(second)
        expect(data == b"" and ending in ("reset", "eof"), f"request: queued client got {data!r} {ending}")
        second.close()
        note(f"half-close -> EOF, process exit 0, later connects refused, queued client {ending}")
        expect(server.process.stdout.read() == b"", "request: extra stdout")

        # The client replica against a fresh server.
        server2 = Server("seed001_server")
        try:
            rc, out, err = run_client("seed001_client", server2.host, str(server2.port))
            expect(rc == 0 and re.fullmatch(r"Received [1-9]\d{0,4}\n", out),
                   f"request client: rc {rc}, out {out!r}, err {err!r}")
            expect(server2.wait() == 0, "request: server did not exit 0 after the client replica")
            note(f"client printed {out.strip()!r}; server exited 0")
        finally:
            server2.stop()
    finally:
        server.stop()


# --- 002 csv -------------------------------------------------------------------------------

def check_seed002():
    server = Server("seed002_server")
    try:
        seen = set()
        for _ in range(100):
            with server.connect() as client:
                data, ending = read_until_end(client)
            expect(ending == "eof", f"csv: expected EOF, got {ending}")
            expect(re.fullmatch(rb"[1-9]\d{0,2}(,[1-9]\d{0,2}){9}", data) is not None, f"csv: reply {data!r}")
            values = [int(part) for part in data.split(b",")]
            expect(all(1 <= value <= 100 for value in values), f"csv: out of range {values}")
            expect(19 <= len(data) <= 39, f"csv: length {len(data)}")
            seen.update(values)
        # 1000 draws over 100 values: all seen except with probability ~ 100 * 0.99^1000 ~ 4e-3,
        # so only the ends' reachability is asserted loosely through the overall spread.
        expect(min(seen) <= 3 and max(seen) >= 98, f"csv: spread {min(seen)}..{max(seen)}")
        note(f"100 batches of 10 in 1..100, FIN after each; {len(seen)} distinct values")

        with server.connect() as client:
            client.sendall(b"hello\n")
            data, ending = read_until_end(client)
        expect(data.count(b",") == 9 and ending in ("reset", "eof"), f"csv: sending client {data!r} {ending}")
        note(f"client that sends: batch then {ending}")

        rc, out, err = run_client("seed002_client", server.host, str(server.port))
        expect(rc == 0 and re.fullmatch(r"\[('[1-9]\d{0,2}', ){9}'[1-9]\d{0,2}'\]\n", out),
               f"csv client: rc {rc}, out {out!r}, err {err!r}")
        note(f"client printed {out.strip()}")
        expect("Got a connection from {} ('127.0.0.1'," in server.stderr(), "csv: the literal '{}' log quirk")
        expect(server.extra_stdout() == b"", "csv: extra stdout")
    finally:
        server.stop()

    # A failing send() reaches the `ssocket` typo: NameError, and the server dies.
    server = Server("seed002_server")
    try:
        rc = reset_storm(server)
        expect(rc == 1 and "NameError: name 'ssocket' is not defined" in server.stderr(),
               f"csv: reset storm -> rc {rc}, stderr {server.stderr()[-300:]!r}")
        note("connect+reset storm: send() fails, NameError (ssocket typo), exit 1")
    finally:
        server.stop()


# --- 003 double ----------------------------------------------------------------------------

def check_seed003():
    cases = [
        (b"21", b"42"), (b"-4", b"-8"), (b" 7\n", b"14"), (b"1_000", b"2000"),
        ("\u0663".encode(), b"6"), (b"12345678901234567890", b"24691357802469135780"),
        (b"abc", ERROR_REPLY), (b"3.5", ERROR_REPLY), (b"+5", b"10"), (b"0", b"0"),
    ]
    server = Server("seed003_server", "1")
    try:
        previous = None
        for request, expected in cases:
            client = server.connect()
            if previous is not None:
                # The previous client's socket is closed only now that the server accepted again.
                data, ending = read_until_end(previous)
                expect(data == b"" and ending == "eof", f"double: previous client got {data!r} {ending}")
                previous.close()
            client.sendall(request)
            reply = read_one(client)
            expect(reply == expected, f"double: {request!r} -> {reply!r}, expected {expected!r}")
            expect(stays_silent(client), f"double: server closed or sent more after {request!r}")
            previous = client
        note(f"{len(cases)} requests answered exactly; each socket closed only at the next accept")

        # Serial: an idle connected client blocks the next one.
        idle = server.connect()
        data, ending = read_until_end(previous)
        expect(ending == "eof", "double: previous client not closed at the next accept")
        previous.close()
        waiting = server.connect()
        waiting.sendall(b"5")
        expect(stays_silent(waiting), "double: answered a client while another was being served")
        idle.sendall(b"2")
        expect(read_one(idle) == b"4", "double: idle client's late request")
        expect(read_one(waiting) == b"10", "double: queued client not served after the idle one")
        data, ending = read_until_end(idle)
        expect(ending == "eof", "double: idle client not closed when the queued one was accepted")
        idle.close()
        note("serial: an idle client blocks the next; each is closed at the following accept")

        # The client replica: one live server and one dead port, plus `exit` in another case.
        dead = unused_port()
        rc, out, err = run_client("seed003_client", "--ports", str(server.port), stdin=b"21\nabc\nEXIT\n")
        prompt = "Enter number to calculate: (or write exit to terminate): "
        expected_out = (f"{prompt}connected to Server 127.0.0.1:{server.port}\nReceived from server: 42\n"
                        f"{prompt}connected to Server 127.0.0.1:{server.port}\n"
                        f"Received from server: {ERROR_REPLY.decode()}\n{prompt}")
        expect(rc == 0 and out == expected_out, f"double client: rc {rc}, out {out!r}, err {err!r}")
        rc, out, err = run_client("seed003_client", "--ports", str(dead), stdin=b"3\nexit\n")
        expect(rc == 0 and f"Failed to connect to Server 127.0.0.1:{dead} with error [Errno 111] Connection refused\n" in out,
               f"double client, dead port: rc {rc}, out {out!r}")
        rc, out, err = run_client("seed003_client", "--ports", str(server.port), stdin=b"3\n")
        expect(rc == 1 and "EOFError" in err, f"double client, no exit line: rc {rc}, err {err!r}")
        note("client replica: prompts, replies, failed connect, EOFError without `exit`")

        # An empty input line sends nothing and hangs; with SEED_CLIENT_TIMEOUT it fails the round.
        # The server then sees the client close without data and exits 0: the empty-request crash.
        rc, out, err = run_client("seed003_client", "--ports", str(server.port), stdin=b"\nexit\n",
                                  environment={"SEED_CLIENT_TIMEOUT": "0.5"})
        expect(rc == 0 and "with error timed out" in out, f"double client, empty line: rc {rc}, out {out!r}")
        expect(server.wait() == 0, "double: server did not exit 0 after an empty request")
        expect(refused(server.host, server.port), "double: still listening after an empty request")
        note("empty input line: client times out, server exits 0")
    finally:
        server.stop()

    # Half-close without data: exit 0, queued clients are reset.
    server = Server("seed003_server", "2")
    try:
        empty = server.connect()
        queued = server.connect()
        queued.sendall(b"8")
        empty.shutdown(socket.SHUT_WR)
        expect(server.wait() == 0, "double: empty request did not end the process with 0")
        data, ending = read_until_end(queued)
        expect(data == b"" and ending == "reset", f"double: queued client got {data!r} {ending}")
        empty.close()
        queued.close()
        note("half-close without data: exit 0, queued client reset")
    finally:
        server.stop()

    # Invalid UTF-8 kills the process with a traceback.
    server = Server("seed003_server", "3")
    try:
        with server.connect() as client:
            client.sendall(b"\xff\xfe")
            data, ending = read_until_end(client)
        rc = server.wait()
        expect(rc == 1 and "UnicodeDecodeError" in server.stderr(), f"double: invalid UTF-8 -> rc {rc}")
        expect(data == b"", f"double: invalid UTF-8 got {data!r}")
        note("invalid UTF-8: no reply, traceback, exit 1")
    finally:
        server.stop()

    # A reset before any data: NameError on the never-assigned request.
    server = Server("seed003_server", "4")
    try:
        client = server.connect()
        reset_close(client)
        rc = server.wait()
        expect(rc == 1 and "NameError: name 'data' is not defined" in server.stderr(),
               f"double: reset first -> rc {rc}, stderr {server.stderr()!r}")
        note("reset before data: NameError, exit 1")
    finally:
        server.stop()

    # Argument errors, verbatim.
    rc, _, err = run_client("seed003_server", "--port", "0")
    expect(rc == 1 and err == "Usage: python server.py <server number>. For further information check readme file\n",
           f"double: no argument -> rc {rc}, {err!r}")
    rc, _, err = run_client("seed003_server", "x", "--port", "0")
    expect(rc == 1 and err == "Invalid argument. Please provide an integer.\n", f"double: bad argument -> rc {rc}, {err!r}")
    note("usage and invalid-argument errors, exit 1")


# --- 004 parity ----------------------------------------------------------------------------

def check_seed004():
    cases = [
        (b"4", PAR), (b"0", PAR), (b"1234567890", PAR), (b"7", IMPAR), (b"-3", IMPAR),
        (b"-123456789", IMPAR), (b" 7", IMPAR),
        (b"12345678901", b"0-1-2-3-4-5-6-7-8-9-10"),
        (b"1" * 30, "-".join(str(i) for i in range(30)).encode()),
        (b"abcdefghijklmnop", "-".join(str(i) for i in range(16)).encode()),
        # Length counts characters, not bytes: 11 two-byte characters take the long branch.
        (("\u00e9" * 11).encode(), "-".join(str(i) for i in range(11)).encode()),
    ]
    server = Server("seed004_server")
    try:
        for request, expected in cases:
            with server.connect() as client:
                client.sendall(request)
                data, ending = read_until_end(client)
            expect(data == expected and ending == "eof", f"parity: {request!r} -> {data!r} {ending}, expected {expected!r}")
        expect(len(cases[8][1]) == 79, "parity: 30-digit reply is 79 bytes")
        note(f"{len(cases)} requests answered exactly, FIN after each")

        rc, out, err = run_client("seed004_client", server.host, str(server.port), "--once")
        expect(rc == 0 and out == "-".join(str(i) for i in range(30)) + "\nFIM -\n",
               f"parity client: rc {rc}, out {out!r}, err {err!r}")
        note("client replica: 0-1-...-29 then FIM -")
        expect(server.extra_stdout() == b"", "parity: extra stdout")
    finally:
        server.stop()

    for request, label in ((b"abc", "non-numeric"), (None, "empty")):
        server = Server("seed004_server")
        try:
            with server.connect() as client:
                if request is None:
                    client.shutdown(socket.SHUT_WR)
                else:
                    client.sendall(request)
                data, ending = read_until_end(client)
            rc = server.wait()
            expect(data == b"" and ending in ("eof", "reset"), f"parity {label}: got {data!r} {ending}")
            expect(rc == 1 and "ValueError" in server.stderr(), f"parity {label}: rc {rc}")
            expect(refused(server.host, server.port), f"parity {label}: still listening")
            note(f"{label} request: no bytes, ValueError, exit 1")
        finally:
            server.stop()


# --- lifetime ------------------------------------------------------------------------------

def check_lifetime():
    started = time.monotonic()
    server = Server("seed000_server", lifetime=1)
    try:
        rc = server.wait(timeout=5)
        expect(rc == 124, f"lifetime: exit code {rc}")
        expect(time.monotonic() - started < 5, "lifetime: took too long")
        note("--lifetime 1: exit 124 after about a second")
    finally:
        server.stop()


CHECKS = [check_seed000, check_seed001, check_seed002, check_seed003, check_seed004, check_lifetime]


def main():
    signal.signal(signal.SIGALRM, lambda *_: (print("selfcheck: overall time limit exceeded", flush=True), os._exit(2)))
    signal.alarm(OVERALL_LIMIT_SECONDS)
    failures = 0
    for check in CHECKS:
        started = time.monotonic()
        try:
            check()
            print(f"ok   {check.__name__} ({time.monotonic() - started:.2f} s)", flush=True)
        except Exception as error:  # report every check, not just the first failure
            failures += 1
            print(f"FAIL {check.__name__}: {error}", flush=True)
    print(f"selfcheck: {len(CHECKS) - failures}/{len(CHECKS)} passed", flush=True)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

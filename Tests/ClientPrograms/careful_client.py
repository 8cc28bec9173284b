#!/usr/bin/env python3
"""A careful RandWire client, written from Spec/randwire.md (sections 3-6, 8, 10, 12) alone.

It is a test fixture for `randwire check-client`: the correct client must pass every client
check, and each `--mutant NAME` breaks exactly one behaviour so that every check fails against
at least one mutant. Python 3 standard library only.

Usage:
    careful_client.py --profile P [--request TEXT] [--min N --max N --count N]
                      [--tokens even=W,odd=W,too-long=W,error=W] [--too-long M]
                      [--timeout S] [--mutant NAME] HOST PORT
    careful_client.py --profile double ... HOST:PORT HOST:PORT ...   (DOUBLE-4 failover)

One exchange on one connection: connect (deadline), send the request followed by LF (request,
parity and double; bare and csv send nothing), read until end of stream, at most 1024 octets
plus one LF or CRLF, strip that one line ending (CORE-7) and check the profile's grammar, range,
count, tokens and, for parity and double, that it is the right answer to the request.

- Valid: the response is printed on stdout as one line, exit 0.
- Invalid, empty, over the cap, no response before the deadline, connection failure: one line
  `error: ...` on stderr naming what was wrong, nothing on stdout, exit 1. Usage errors: exit 2.
- The server did not close: 200 ms of quiet after the first octet ends the response (CLIENT-2),
  with a note on stderr; the response is then judged as usual.
- Reset after data (CLIENT-1): the reset is reported on stderr with the octets received; if they
  are a valid answer it is printed on stdout and the exit status is 0.
- Several HOST:PORT endpoints: tried in random order until a connection succeeds (failover on
  connection failure only; a server that answers badly is judged, not skipped).

Mutants (each breaks one behaviour; "warn" = a SHOULD, the others fail):

| mutant           | behaviour broken                                         | check it breaks                          |
|------------------|----------------------------------------------------------|------------------------------------------|
| one-recv         | one recv(1024) instead of reading until EOF (CLIENT-1)   | client.split-answer                      |
| keep-line-ending | does not strip the trailing LF/CRLF (CORE-7)             | client.trailing-lf, client.trailing-crlf |
| lf-only          | strips a trailing LF but not CRLF (CORE-7)               | client.trailing-crlf                     |
| strip-all        | strips all surrounding whitespace (CORE-7)               | client.two-line-endings, client.trailing-spaces |
| accept-empty     | prints an empty line and exits 0 on an empty response    | client.empty                             |
| last-line        | keeps only the last line of the response                 | client.banner                            |
| no-grammar       | prints any response as is, exit 0 (CLIENT-3)             | client.float, client.wrong-token, client.wrong-count (and every reject check) |
| no-range         | numbers out of [min, max] are accepted                   | client.out-of-range                      |
| no-cap           | no response cap: reads everything, prints a response over 1024 octets unchecked | client.over-cap, client.flood |
| wait-for-eof     | no 200 ms quiet time: waits for EOF or its deadline      | client.never-closes (CLIENT-2 warn)      |
| no-deadline      | no overall/read deadline before the first octet          | client.silent-server (LIMIT-3 hang)      |
| no-exchange-deadline | a deadline per read, none on the whole exchange       | client.drip (LIMIT-3 hang)               |
| exit-zero        | rejects on stderr but exits 0                            | every reject check, client.silent-server |
| drop-on-reset    | on a reset, prints nothing (not even on stderr), exit 1  | client.reset-after-answer                |
| no-terminator    | sends the request without LF and without half-close      | client.request-end (FRAME-6 warn)        |
| second-request   | sends the request again once the answer starts           | client.one-request (CORE-2)              |
| bare-sends       | bare/csv: sends `hello\\n` first                         | client.bare-sends-nothing (BARE-2)       |
| silent-output    | prints nothing on stdout even when the answer is valid   | client.answer (and every answer check)   |
| no-failover      | tries only the first endpoint given                      | client.failover (DOUBLE-4, MAY)          |
"""
import argparse
import os
import random
import re
import socket
import sys
import time

sys.dont_write_bytecode = True

MUTANTS = (
    "one-recv", "keep-line-ending", "lf-only", "strip-all", "accept-empty", "last-line",
    "no-grammar", "no-range", "no-cap", "wait-for-eof", "no-deadline", "exit-zero",
    "drop-on-reset", "no-terminator", "second-request", "bare-sends", "silent-output",
    "no-failover", "no-exchange-deadline",
)
PROFILES = {
    # profile: (min, max, count, has request, default request)
    "bare": (10, 20, 1, False, None),
    "csv": (1, 100, 10, False, None),
    "request": (1, 10000, 1, True, "Example request"),
    "parity": (None, None, None, True, "42"),
    "double": (None, None, None, True, "21"),
}
RESPONSE_CAP = 1024          # CORE-4, LIMIT-3
READ_CAP = RESPONSE_CAP + 2  # plus an optional CRLF (CORE-7)
QUIET_TIME = 0.2             # CLIENT-2
REQUEST_CAP = 1024           # LIMIT-1
PARITY_DIGITS = 10
NUMBER = re.compile(rb"(?:0|-?[1-9][0-9]*)\Z")
INTEGER = re.compile(rb"[+-]?([0-9]+)\Z")

mutant = None


class Reject(Exception):
    """The response is not a valid answer; the message names what was wrong."""


def fail(message, status=1):
    print("error: " + message, file=sys.stderr)
    if mutant == "exit-zero":
        status = 0
    sys.exit(status)


def note(message):
    print("note: " + message, file=sys.stderr)


def quote(data, limit=60):
    """`"15\\n\\n"`: the octets as a double-quoted escaped string, cut after `limit` octets."""
    out = []
    for byte in data[:limit]:
        char = chr(byte)
        if char == '"' or char == "\\":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif 0x20 <= byte < 0x7F:
            out.append(char)
        else:
            out.append("\\x%02x" % byte)
    more = "..." if len(data) > limit else ""
    return '"' + "".join(out) + more + '"'


# ---------------------------------------------------------------- arguments


def usage_error(parser, message):
    parser.print_usage(sys.stderr)
    print("careful_client.py: error: " + message, file=sys.stderr)
    sys.exit(2)


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        description="Careful RandWire client (test fixture).",
        epilog="Endpoints: HOST PORT, or one or more HOST:PORT ([v6]:PORT) for failover.")
    parser.add_argument("--profile", required=True, choices=sorted(PROFILES))
    parser.add_argument("--request", help="request content (request, parity, double)")
    parser.add_argument("--min", type=int)
    parser.add_argument("--max", type=int)
    parser.add_argument("--count", type=int)
    parser.add_argument("--tokens", help="even=W,odd=W,too-long=W,error=W (any subset)")
    parser.add_argument("--too-long", choices=("token", "same-length"), default="token")
    parser.add_argument("--timeout", type=float, default=5.0,
                        help="deadline for the whole exchange, seconds (default 5)")
    parser.add_argument("--mutant", choices=MUTANTS)
    parser.add_argument("endpoints", nargs="+", metavar="ENDPOINT")
    options = parser.parse_args(argv)

    low, high, count, has_request, default_request = PROFILES[options.profile]
    if options.profile in ("bare", "csv", "request"):
        options.min = low if options.min is None else options.min
        options.max = high if options.max is None else options.max
        options.count = count if options.count is None else options.count
        if options.min > options.max:
            usage_error(parser, "--min must not be above --max")
        if max(abs(options.min), abs(options.max)) > 10 ** 15:
            usage_error(parser, "|min| and |max| must be at most 10^15")
        if not 1 <= options.count <= 100:
            usage_error(parser, "--count must be 1 to 100")
        if options.count != 1 and options.profile != "csv":
            usage_error(parser, "--count is 1 except in csv")
        wider = max(len(str(options.min)), len(str(options.max)))
        if options.count * wider + options.count - 1 > RESPONSE_CAP:
            usage_error(parser, "the largest batch would not fit in 1024 octets")
    elif options.min is not None or options.max is not None or options.count is not None:
        usage_error(parser, "--min, --max and --count apply to bare, csv and request only")

    options.tokens_bytes = {"even": b"even", "odd": b"odd", "too-long": b"too-long",
                            "error": b"error"}
    if options.tokens is not None:
        if options.profile not in ("parity", "double"):
            usage_error(parser, "--tokens applies to parity and double only")
        for item in options.tokens.split(","):
            name, equals, word = item.partition("=")
            if not equals or name not in options.tokens_bytes:
                usage_error(parser, "--tokens wants even=W,odd=W,too-long=W,error=W, got %r" % item)
            encoded = os.fsencode(word)
            if not 1 <= len(encoded) <= 64 or any(c in encoded for c in b"\r\n\0,="):
                usage_error(parser, "token %s must be 1-64 octets without CR, LF, NUL, ',' or '='" % name)
            options.tokens_bytes[name] = encoded
        if len(set(options.tokens_bytes.values())) != 4:
            usage_error(parser, "the four tokens must differ")

    if has_request:
        text = default_request if options.request is None else options.request
        options.request_bytes = os.fsencode(text)
        if b"\n" in options.request_bytes:
            usage_error(parser, "--request must not contain LF (it would end the request)")
    elif options.request is not None:
        usage_error(parser, "--request applies to request, parity and double only")
    else:
        options.request_bytes = None

    if options.timeout <= 0:
        usage_error(parser, "--timeout must be positive")

    options.endpoints = parse_endpoints(parser, options.endpoints)
    return options


def parse_endpoints(parser, words):
    if len(words) == 2 and words[1].isdigit():
        pairs = [(words[0], words[1])]
    else:
        pairs = []
        for word in words:
            host, colon, port = word.rpartition(":")
            if not colon or not host or not port.isdigit():
                usage_error(parser, "endpoint %r is not HOST:PORT (or give HOST PORT)" % word)
            if host.startswith("[") and host.endswith("]"):
                host = host[1:-1]
            pairs.append((host, port))
    endpoints = []
    for host, port in pairs:
        if not 1 <= int(port) <= 65535:
            usage_error(parser, "port %s is not 1-65535" % port)
        endpoints.append((host, int(port)))
    return endpoints


# ---------------------------------------------------------------- the exchange


def connect(endpoints, deadline):
    """Connect to one of the endpoints (random order; DOUBLE-4 failover when there are several)."""
    order = list(endpoints)
    if mutant == "no-failover":
        order = order[:1]
    else:
        random.shuffle(order)
    failures = []
    for host, port in order:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            failures.append("%s:%d: no time left" % (host, port))
            break
        try:
            return socket.create_connection((host, port), timeout=remaining), (host, port)
        except OSError as err:
            failures.append("%s:%d: %s" % (host, port, err.strerror or err))
            if len(order) > 1:
                note("cannot connect to %s:%d (%s), trying another server"
                     % (host, port, err.strerror or err))
    fail("cannot connect: " + "; ".join(failures))


def send_request(sock, options):
    if options.request_bytes is None:
        if mutant == "bare-sends":
            sock.sendall(b"hello\n")
        return
    if mutant == "no-terminator":
        sock.sendall(options.request_bytes)
    else:
        sock.sendall(options.request_bytes + b"\n")  # FRAME-6: LF ends the request


class Received:
    def __init__(self):
        self.data = b""
        self.how = None          # "eof", "quiet", "reset", "over-cap", "deadline", "one-recv"


def read_response(sock, options, deadline):
    """Read until end of stream, 200 ms of quiet after data, the cap or the deadline."""
    got = Received()
    cap = None if mutant == "no-cap" else READ_CAP
    last_octet = None
    sent_again = False
    while True:
        now = time.monotonic()
        wait = None if mutant == "no-deadline" else deadline - now
        if mutant == "no-exchange-deadline":
            wait = options.timeout  # each read bounded, the exchange not: a drip never ends

        if wait is not None and wait <= 0:
            got.how = "deadline"
            return got
        if last_octet is not None and mutant != "wait-for-eof":
            quiet_left = last_octet + QUIET_TIME - now
            if quiet_left <= 0:
                got.how = "quiet"
                return got
            wait = quiet_left if wait is None else min(wait, quiet_left)
        size = 65536 if cap is None else min(65536, cap + 1 - len(got.data))
        if mutant == "one-recv":
            size = 1024
        sock.settimeout(wait)
        try:
            chunk = sock.recv(size)
        except socket.timeout:
            continue
        except ConnectionResetError:
            got.how = "reset"
            return got
        except OSError as err:
            fail("reading from the server: %s (after %d octets %s)"
                 % (err.strerror or err, len(got.data), quote(got.data)))
        if not chunk:
            got.how = "eof"
            return got
        got.data += chunk
        last_octet = time.monotonic()
        if mutant == "one-recv":
            got.how = "one-recv"
            return got
        if mutant == "second-request" and not sent_again and options.request_bytes is not None:
            sent_again = True
            try:
                sock.sendall(options.request_bytes + b"\n")
            except OSError:
                pass
        if cap is not None and len(got.data) > cap:
            got.how = "over-cap"
            return got


# ---------------------------------------------------------------- judging the response


def strip_line_ending(data):
    """CORE-7: exactly one trailing LF or CRLF is not part of the response."""
    if mutant == "keep-line-ending":
        return data
    if mutant == "strip-all":
        return data.strip()
    if data.endswith(b"\r\n") and mutant != "lf-only":
        return data[:-2]
    if data.endswith(b"\n"):
        return data[:-1]
    return data


def check_number(text, options, what="the answer"):
    if not NUMBER.match(text):
        raise Reject("not a number" if what == "the answer" else "%s is not a number" % what)
    value = int(text)
    if mutant != "no-range" and not options.min <= value <= options.max:
        raise Reject("%s %d is out of range %d..%d" % (what, value, options.min, options.max))
    return value


def request_content(options):
    """The content the server sees: a CR right before our LF belongs to the terminator (FRAME-1)."""
    content = options.request_bytes
    if content.endswith(b"\r") and mutant != "no-terminator":
        content = content[:-1]
    return content


def expected_parity(options):
    content = request_content(options)
    tokens = options.tokens_bytes
    match = INTEGER.match(content)
    if len(content) > REQUEST_CAP or not match:
        return tokens["error"]
    digits = match.group(1)
    if len(digits) > PARITY_DIGITS:
        return None  # the too-long answer, checked by the caller (token or same-length)
    return tokens["even"] if digits[-1] in b"02468" else tokens["odd"]


def expected_double(options):
    content = request_content(options)
    match = INTEGER.match(content)
    if len(content) > REQUEST_CAP or not match:
        return options.tokens_bytes["error"]
    doubled = str(2 * int(content.decode("ascii"))).encode("ascii")
    if len(doubled) > RESPONSE_CAP:
        return options.tokens_bytes["error"]
    return doubled


def validate(response, options):
    """Raise Reject naming what is wrong with the response (line ending already stripped)."""
    if mutant == "no-grammar":
        return
    if not response:
        if mutant == "accept-empty":
            return
        raise Reject("empty response")
    if len(response) > RESPONSE_CAP:
        raise Reject("%d octets: over the 1024-octet cap" % len(response))
    try:
        response.decode("utf-8")
    except UnicodeDecodeError:
        raise Reject("not UTF-8")
    profile = options.profile
    if profile in ("bare", "request"):
        check_number(response, options)
    elif profile == "csv":
        fields = response.split(b",")
        for index, field in enumerate(fields, 1):
            if not field:
                raise Reject("field %d is empty" % index)
            check_number(field, options, "field %d" % index)
        if len(fields) != options.count:
            raise Reject("%d numbers, expected %d" % (len(fields), options.count))
    elif profile == "parity":
        tokens = options.tokens_bytes
        if response not in tokens.values():
            same_length = (options.too_long == "same-length"
                           and all(c < 0x80 and c != 0x0A for c in response))
            if not same_length:
                raise Reject("not one of the tokens %s" % ", ".join(quote(t) for t in tokens.values()))
        expected = expected_parity(options)
        if expected is None:
            if options.too_long == "token":
                if response != tokens["too-long"]:
                    raise Reject("expected the too-long token %s" % quote(tokens["too-long"]))
            elif response in tokens.values() or len(response) != len(request_content(options)):
                raise Reject("expected a same-length string of %d octets"
                             % len(request_content(options)))
        elif response != expected:
            raise Reject("expected %s for request %s" % (quote(expected), quote(request_content(options))))
    elif profile == "double":
        error = options.tokens_bytes["error"]
        if response != error and not NUMBER.match(response):
            raise Reject("not a number nor the error token %s" % quote(error))
        expected = expected_double(options)
        if response != expected:
            raise Reject("expected %s for request %s" % (quote(expected), quote(request_content(options))))


def main(argv):
    global mutant
    options = parse_arguments(argv)
    mutant = options.mutant
    deadline = time.monotonic() + options.timeout
    sock, (host, port) = connect(options.endpoints, deadline)
    try:
        try:
            send_request(sock, options)
        except OSError as err:
            fail("sending the request to %s:%d: %s" % (host, port, err.strerror or err))
        got = read_response(sock, options, deadline)
    finally:
        sock.close()

    data = got.data
    if got.how == "reset":
        if mutant == "drop-on-reset":
            sys.exit(1)
        if not data:
            fail("connection reset by the server before any octet")
        note("connection reset by the server after %d octets %s" % (len(data), quote(data)))
    elif got.how == "over-cap":
        fail("got %s: more than 1024 octets (plus a line ending): over the cap" % quote(data))
    elif got.how == "deadline":
        if not data:
            fail("no response within %g s" % options.timeout)
        if mutant != "wait-for-eof":
            fail("got %s: response not complete within %g s" % (quote(data), options.timeout))
        note("no end of stream within %g s" % options.timeout)
    elif got.how == "quiet":
        note("the server did not close the connection: the response ended after 200 ms of quiet")

    response = strip_line_ending(data)
    if mutant == "no-cap" and len(response) > RESPONSE_CAP:
        sys.stdout.buffer.write(response + b"\n")
        return 0
    if mutant == "last-line":
        response = response.split(b"\n")[-1]
    try:
        validate(response, options)
    except Reject as reject:
        fail("got %s: %s" % (quote(data), reject))

    if mutant != "silent-output":
        sys.stdout.buffer.write(response + b"\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

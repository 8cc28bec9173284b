#!/usr/bin/env python3
"""Replica of seed 003 (ADA-GWU ...-Kenwoll, server.py), profile `double`.

Usage: seed003_server.py N [--host H] [--port P] [--lifetime S]; the port defaults to 9000 + N.
Serial. Per connection: one recv(1024); an empty read (the client closed or half-closed without
sending) closes the listener and the process exits 0. Otherwise the bytes are decoded as UTF-8
(invalid UTF-8 raises and kills the process) and answered with one send() of str(int(text) * 2),
or of "Received data is not valid integer" when int() refuses the text. The client socket is
never closed explicitly: the original closes it only when its variable is rebound by the next
accept() (CPython refcounting) or at exit, and the replica does exactly that, on purpose.
A reset before any data makes the original hit a NameError on its never-assigned `data`.
"""
import sys
sys.dont_write_bytecode = True

import socket

import seedkit

ERROR_REPLY = "Received data is not valid integer"
_NEVER_ASSIGNED = object()


def parse_arguments():
    parser = seedkit.server_parser(__doc__.splitlines()[0], "127.0.0.1", None)
    options, rest = parser.parse_known_args()
    # The original checks `len(sys.argv) != 2`: exactly one extra word, the server number.
    if len(rest) != 1:
        seedkit.log("Usage: python server.py <server number>. For further information check readme file")
        sys.exit(1)
    try:
        number = int(rest[0])
    except ValueError:
        seedkit.log("Invalid argument. Please provide an integer.")
        sys.exit(1)
    port = options.port if options.port is not None else 9000 + number
    return options, port


def main():
    options, port = parse_arguments()
    seedkit.arm_lifetime(options.lifetime)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((options.host, port))
    listener.listen(5)
    seedkit.announce(listener)
    seedkit.log(f"Server is listening on {options.host}:{listener.getsockname()[1]}")

    data = _NEVER_ASSIGNED
    current = None  # plays the original's `client_sock` variable
    while True:
        connection, peer = listener.accept()
        # Rebinding `client_sock` in the original drops the last reference to the previous
        # client socket, which closes it only now, after the next client has been accepted.
        previous, current = current, connection
        if previous is not None:
            previous.close()
        seedkit.log(f"[replica] connection from {peer}")
        try:
            data = current.recv(1024)
        except socket.error as error:
            seedkit.log(f"[replica] socket error: {error}")
            # On a reset the original falls through with `data` unchanged: undefined for the
            # first client, the previous client's bytes afterwards.
            if data is _NEVER_ASSIGNED:
                raise NameError("name 'data' is not defined")
        if not data:
            break
        text = data.decode("utf-8")  # UnicodeDecodeError is not caught
        try:
            response = str(int(text) * 2)
        except ValueError:
            response = ERROR_REPLY
        current.send(response.encode("utf-8"))
    listener.close()
    seedkit.log("[replica] empty request: listener closed, exiting")


if __name__ == "__main__":
    main()

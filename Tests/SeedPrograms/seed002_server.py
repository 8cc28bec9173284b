#!/usr/bin/env python3
"""Replica of seed 002 (ITT440 "Pass Multiple Random Number using TCP Port"), profile `csv`.

On every accepted connection: one send() of 10 randint(1, 100) joined by "," (no spaces, no
trailing comma, no newline), then close. Never calls recv. listen(1). The original binds
(socket.gethostname(), 27679); the replica binds --host, default 127.0.0.1, because the hostname
often resolves to 127.0.1.1 or a LAN address. Quirks kept: the log line prints a literal "{}",
a failed send raises NameError (the original's `ssocket` typo) which crashes the server, and a
failed bind prints `Error: ...` and exits 1.
"""
import sys
sys.dont_write_bytecode = True

import random
import socket

import seedkit


def main():
    options = seedkit.server_parser(__doc__.splitlines()[0], "127.0.0.1", 27679).parse_args()
    seedkit.arm_lifetime(options.lifetime)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind((options.host, options.port))
    except socket.error as error:
        seedkit.log(f"Error: {error}")
        listener.close()
        sys.exit(1)

    listener.listen(1)
    seedkit.announce(listener)
    seedkit.log("Server listening on {}:{}".format(options.host, listener.getsockname()[1]))

    try:
        while True:
            connection, peer = listener.accept()
            seedkit.log("Got a connection from {}", format(peer))  # sic: a comma, not a dot
            numbers = [random.randint(1, 100) for _ in range(10)]
            text = ",".join(str(number) for number in numbers)
            try:
                connection.send(text.encode("utf-8"))
            except BaseException:
                # The original's handler names `ssocket.error`; evaluating it fails, so any
                # exception raised by send() turns into this NameError and ends the server.
                raise NameError("name 'ssocket' is not defined")
            connection.close()
    except KeyboardInterrupt:
        seedkit.log("Server terminated by user.")


if __name__ == "__main__":
    main()

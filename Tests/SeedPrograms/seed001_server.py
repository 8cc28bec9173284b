#!/usr/bin/env python3
"""Replica of seed 001 (bwiss11/Random_Number_Microservice, random_number_server.py), profile `request`.

accept() is called exactly once: one client per process. Every recv() chunk (not every logical
request) is answered with the ASCII decimal of randint(1, 10000) via sendall. The server never
closes first; when the client closes or half-closes, it closes and the process exits 0. Other
clients' connects complete in the backlog and are never answered. Original address: 127.0.0.1:8000.
"""
import sys
sys.dont_write_bytecode = True

import random
import socket

import seedkit


def main():
    options = seedkit.server_parser(__doc__.splitlines()[0], "127.0.0.1", 8000).parse_args()
    seedkit.arm_lifetime(options.lifetime)

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((options.host, options.port))
        listener.listen()
        seedkit.announce(listener)
        connection, peer = listener.accept()  # the only accept of the process
        with connection:
            seedkit.log(f"Connected by {peer}")
            while True:
                chunk = connection.recv(1024)
                # As in the original, the number is drawn before the empty check.
                reply = str(random.randint(1, 10000)).encode("utf-8")
                if not chunk:
                    break
                connection.sendall(reply)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Replica of seed 000 (bullardh/361-Microservice, server_random.py), profile `bare`.

On every accepted connection: one send() of the ASCII decimal of randint(10, 20), then close.
Never calls recv, so bytes sent by a client make the close an RST. Serial, listen() default
backlog, no SO_REUSEADDR. Original address: 127.0.0.1:65432.
"""
import sys
sys.dont_write_bytecode = True

import random
import socket

import seedkit


def main():
    options = seedkit.server_parser(__doc__.splitlines()[0], "127.0.0.1", 65432).parse_args()
    seedkit.arm_lifetime(options.lifetime)

    listener = socket.socket()  # AF_INET, SOCK_STREAM: the constructor's defaults
    listener.bind((options.host, options.port))
    listener.listen()
    seedkit.announce(listener)

    while True:
        connection, peer = listener.accept()
        seedkit.log(f"Connected by {peer}")
        connection.send(bytes(str(random.randint(10, 20)), "UTF-8"))  # send, not sendall
        connection.close()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Replica of seed 004 (israelylima/socket, servidor.py), profile `parity`.

Per connection: one recv(1024), decoded as UTF-8. If the text is longer than 10 characters, the
reply is "-".join of range(len(text)) (neither random nor the same length). Otherwise int(text)
decides " PAR " or " ÍMPAR " (UTF-8, spaces included). Non-numeric text of at most 10 characters,
or an empty request, raises ValueError and the process dies. One send(), then close. Serial.
Original address: ('localhost', 60000).
"""
import sys
sys.dont_write_bytecode = True

import socket

import seedkit


def reply_for(text):
    if len(text) > 10:
        return "-".join(str(index) for index in range(len(text)))
    if int(text) % 2 == 0:  # ValueError escapes: the original has no handler
        return " PAR "
    return " ÍMPAR "


def main():
    options = seedkit.server_parser(__doc__.splitlines()[0], "localhost", 60000).parse_args()
    seedkit.arm_lifetime(options.lifetime)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((options.host, options.port))
    listener.listen()
    seedkit.announce(listener)

    while True:
        connection, peer = listener.accept()
        seedkit.log(f"[replica] connection from {peer}")
        text = connection.recv(1024).decode()
        seedkit.log(f"[replica] received {text!r}")
        connection.send(reply_for(text).encode())
        connection.close()


if __name__ == "__main__":
    main()

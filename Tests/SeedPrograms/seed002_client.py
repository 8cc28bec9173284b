#!/usr/bin/env python3
"""Replica of seed 002's client code block: connect, one recv(1024).decode('utf-8'), split(',').
The original prints nothing; the replica prints the resulting list of strings so tests can see it.
The original connects to (socket.gethostname(), 27679); the replica takes HOST PORT."""
import socket
import sys

if len(sys.argv) != 3:
    sys.exit("usage: seed002_client.py HOST PORT")
host, port = sys.argv[1], int(sys.argv[2])
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    client.connect((host, port))
except socket.error as error:
    print(f"Error connecting to the server: {error}")
    client.close()
    sys.exit(1)
received = client.recv(1024).decode("utf-8")
numbers = received.split(",")
print(numbers)

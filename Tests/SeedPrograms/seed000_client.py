#!/usr/bin/env python3
"""Replica of seed 000's client_random.py: connect, one recv(1024), print(int(data)).
Sends nothing. An empty read raises ValueError, as int(b"") does in the original."""
import socket
import sys

if len(sys.argv) != 3:
    sys.exit("usage: seed000_client.py HOST PORT")
host, port = sys.argv[1], int(sys.argv[2])
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
    client.connect((host, port))
    data = client.recv(1024)
print(int(data))

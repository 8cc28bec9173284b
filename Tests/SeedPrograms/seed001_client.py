#!/usr/bin/env python3
"""Replica of seed 001's random_number_client.py: sendall(b"Example request") (no newline),
one recv(1024), prints `Received <n>`. An optional third argument replaces the request text."""
import socket
import sys

if len(sys.argv) not in (3, 4):
    sys.exit("usage: seed001_client.py HOST PORT [REQUEST]")
host, port = sys.argv[1], int(sys.argv[2])
request = sys.argv[3].encode("utf-8") if len(sys.argv) == 4 else b"Example request"
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
    client.connect((host, port))
    client.sendall(request)
    data = client.recv(1024)
print(f"Received {data.decode()}")

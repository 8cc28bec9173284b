#!/usr/bin/env python3
"""Replica of seed 004's cliente.py: forever, a new socket sends a random 30-digit number
(randrange(10**29, 10**30)), prints the one recv(1024) reply and the line `FIM -`, then sleeps
10 s before closing. `--once` (for tests) does a single round without the sleep."""
import argparse
import random
import socket
import time

parser = argparse.ArgumentParser(description="seed 004 client replica")
parser.add_argument("host")
parser.add_argument("port", type=int)
parser.add_argument("--once", action="store_true", help="one round, no 10 s sleep")
options = parser.parse_args()

while True:
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect((options.host, options.port))
    number = random.randrange(10**29, 10**30)
    client.send(str(number).encode())
    data = client.recv(1024).decode()
    print(data)
    print(f"FIM -")
    if options.once:
        client.close()
        break
    time.sleep(10)  # before close(), as in the original
    client.close()

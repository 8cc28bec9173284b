#!/usr/bin/env python3
"""Replica of seed 003's client.py: reads lines from stdin until `exit` (any case), sends each to a
server picked with random.choice from --ports over a new socket, prints the reply.

The original's ports are 9001, 9002, 9003 on 127.0.0.1; the replica takes --ports and --host.
End of input without `exit` raises EOFError, as input() does in the original. An empty line
sends nothing and then waits for a reply that never comes (the original hangs); the environment
variable SEED_CLIENT_TIMEOUT (seconds, default: none) sets a socket timeout so tests stay bounded,
in which case the round ends with `Failed to connect ... with error timed out`.
The environment variable SEED_CLIENT_SEED (an integer, default: none) seeds `random` before the
first round, so a test gets the same sequence of server choices on every run; unset, the choice
is unseeded, as in the original.
"""
import argparse
import os
import random
import socket

parser = argparse.ArgumentParser(description="seed 003 client replica")
parser.add_argument("--ports", required=True, help="comma-separated server ports, e.g. 9001,9002,9003")
parser.add_argument("--host", default="127.0.0.1")
options = parser.parse_args()
serv_ports = [int(port) for port in options.ports.split(",")]
serv_ip = options.host
timeout = float(os.environ["SEED_CLIENT_TIMEOUT"]) if os.environ.get("SEED_CLIENT_TIMEOUT") else None


def new_socket():
    fresh = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    fresh.settimeout(timeout)
    return fresh


if os.environ.get("SEED_CLIENT_SEED"):
    random.seed(int(os.environ["SEED_CLIENT_SEED"]))
client = new_socket()
while True:
    client_input = input("Enter number to calculate: (or write exit to terminate): ")
    if client_input.lower() == "exit":
        break
    serv_port = random.choice(serv_ports)
    try:
        client.connect((serv_ip, serv_port))
        print(f"connected to Server {serv_ip}:{serv_port}")
        client.send(client_input.encode("utf-8"))
        response = client.recv(1024).decode("utf-8")
        print(f"Received from server: {response}")
    except socket.error as err:
        print(f"Failed to connect to Server {serv_ip}:{serv_port} with error {err}")
    finally:
        client.close()
        client = new_socket()
client.close()

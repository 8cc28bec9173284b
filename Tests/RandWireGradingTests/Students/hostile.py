"""A hostile student: serves the bare profile correctly, and meanwhile tries what a contained
server must not be able to do. Each attempt's outcome goes to stdout, one line each (the grader
keeps a server's stdout; a sandboxed student can write nowhere the test could read).

Usage: hostile.py GRADER_PID OUT_DIR OTHER_DIR GRADER_HOME   (the port comes from $PORT)
"""
import os, random, signal, socket, sys, time

grader_pid, out_dir, other_dir, grader_home = sys.argv[1:5]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so an over-large write fails instead of killing us


def log(line):
    print(line, flush=True)


def attempt(name, action):
    try:
        result = action()
        log(f"{name}: succeeded {result if result is not None else ''}".rstrip())
    except BaseException as error:  # MemoryError included
        log(f"{name}: failed {type(error).__name__}: {error}")


def write(path):
    with open(path, "w") as f:
        f.write("pwned\n")


def read_other():
    return sorted(os.listdir(other_dir))


def fork_many():
    children = 0
    try:
        for _ in range(10000):
            pid = os.fork()
            if pid == 0:
                time.sleep(3)
                os._exit(0)
            children += 1
    finally:
        log(f"forks: {children}")
    return children


def allocate():
    block = bytearray(8 << 30)
    return len(block)


def big_file():
    with open("big.bin", "wb") as f:
        chunk = b"\0" * (1 << 20)
        for _ in range(2048):
            f.write(chunk)
    return os.path.getsize("big.bin")


def misbehave():
    attempt("write output folder", lambda: write(os.path.join(out_dir, "pwned.txt")))
    attempt("write other student", lambda: write(os.path.join(other_dir, "pwned.txt")))
    attempt("write grader home", lambda: write(os.path.join(grader_home, "randwire-pwned.txt")))
    attempt("read other student", read_other)
    attempt("kill grader", lambda: os.kill(int(grader_pid), signal.SIGKILL))
    attempt("fork", fork_many)
    attempt("allocate 8 GiB", allocate)
    attempt("write 2 GiB", big_file)
    log("done")


# Every attempt before listening: the grader waits for the port, so all of them are over (and
# their outcomes written) before the first check, however loaded the machine is.
misbehave()
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(os.environ["PORT"])))
listener.listen(64)
while True:
    connection, _ = listener.accept()
    try:
        connection.sendall(str(random.randint(10, 20)).encode())
    except OSError:
        pass
    connection.close()

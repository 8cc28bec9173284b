// The C baseline of Scripts/bench.sh: a small epoll server that does what the reference server
// does on its hot path and nothing more (no deadlines, no limits, no logging), so a ratio
// against it shows what the Swift code costs over the kernel's own accept/write/close work.
//
//   cserver bare|csv|request PORT [THREADS]
//     bare     on accept: one number in 10..20, then close
//     csv      on accept: ten comma-separated numbers in 1..100, then close
//     request  read the request (the first read with data), answer one number in 1..10000, close
//
// One SO_REUSEPORT listener and one epoll loop per thread, on 127.0.0.1. Prints one line to
// stderr once listening. Numbers come from a per-thread xorshift generator seeded by
// getrandom(), reduced by rejection so every value is equally likely.
// Build: cc -O2 -pthread -o cserver cserver.c
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

static int mode;  // 0 bare, 1 csv, 2 request
static int port;

static uint64_t next_random(uint64_t *state) {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

static unsigned draw(uint64_t *state, unsigned low, unsigned high) {
    uint64_t span = high - low + 1, limit = UINT64_MAX - UINT64_MAX % span, x;
    do x = next_random(state); while (x >= limit);
    return low + (unsigned)(x % span);
}

static int answer(uint64_t *state, char *out) {
    if (mode == 0) return sprintf(out, "%u", draw(state, 10, 20));
    if (mode == 2) return sprintf(out, "%u", draw(state, 1, 10000));
    int length = 0;
    for (int i = 0; i < 10; i++) length += sprintf(out + length, i ? ",%u" : "%u", draw(state, 1, 100));
    return length;
}

static int listen_socket(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    if (fd < 0) return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 4096) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void *loop(void *argument) {
    int listener = (int)(intptr_t)argument, poller = epoll_create1(EPOLL_CLOEXEC);
    uint64_t state = 0;
    while (state == 0) getrandom(&state, sizeof state, 0);
    struct epoll_event event = {.events = EPOLLIN, .data.fd = listener}, ready[256];
    epoll_ctl(poller, EPOLL_CTL_ADD, listener, &event);
    char buffer[1024], out[64];
    for (;;) {
        int count = epoll_wait(poller, ready, 256, -1);
        for (int i = 0; i < count; i++) {
            int fd = ready[i].data.fd;
            if (fd == listener) {
                int client;
                while ((client = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    if (mode != 2) {
                        (void)!write(client, out, (size_t)answer(&state, out));
                        close(client);
                        continue;
                    }
                    ssize_t got = read(client, buffer, sizeof buffer);
                    if (got > 0) {
                        (void)!write(client, out, (size_t)answer(&state, out));
                        close(client);
                    } else if (got < 0 && errno == EAGAIN) {
                        struct epoll_event wanted = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = client};
                        epoll_ctl(poller, EPOLL_CTL_ADD, client, &wanted);
                    } else {
                        close(client);
                    }
                }
                continue;
            }
            ssize_t got = read(fd, buffer, sizeof buffer);
            if (got < 0 && errno == EAGAIN) continue;
            if (got > 0) (void)!write(fd, out, (size_t)answer(&state, out));
            close(fd);  // also removes it from the epoll set
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3 || (strcmp(argv[1], "bare") && strcmp(argv[1], "csv") && strcmp(argv[1], "request"))) {
        fprintf(stderr, "usage: cserver bare|csv|request PORT [THREADS]\n");
        return 2;
    }
    mode = !strcmp(argv[1], "bare") ? 0 : !strcmp(argv[1], "csv") ? 1 : 2;
    port = atoi(argv[2]);
    int threads = argc > 3 ? atoi(argv[3]) : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1) threads = 1;
    pthread_t ids[256];
    if (threads > 256) threads = 256;
    for (int i = 0; i < threads; i++) {
        int fd = listen_socket();
        if (fd < 0) {
            perror("cserver: bind/listen");
            return 1;
        }
        pthread_create(&ids[i], NULL, loop, (void *)(intptr_t)fd);
    }
    fprintf(stderr, "cserver: %s on 127.0.0.1:%d, %d thread(s)\n", argv[1], port, threads);
    pthread_join(ids[0], NULL);
    return 0;
}

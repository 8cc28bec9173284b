#define _GNU_SOURCE
#include "CRandWireSystem.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/random.h>

// The mirrored constants of the header are the kernel's.
_Static_assert(RW_EVENT_IN == EPOLLIN, "EPOLLIN");
_Static_assert(RW_EVENT_PRI == EPOLLPRI, "EPOLLPRI");
_Static_assert(RW_EVENT_OUT == EPOLLOUT, "EPOLLOUT");
_Static_assert(RW_EVENT_ERR == EPOLLERR, "EPOLLERR");
_Static_assert(RW_EVENT_HUP == EPOLLHUP, "EPOLLHUP");
_Static_assert(RW_EVENT_RDHUP == EPOLLRDHUP, "EPOLLRDHUP");
_Static_assert(RW_EVENT_EXCLUSIVE == (uint32_t)EPOLLEXCLUSIVE, "EPOLLEXCLUSIVE");
_Static_assert(RW_EVENT_ONESHOT == (uint32_t)EPOLLONESHOT, "EPOLLONESHOT");
_Static_assert(RW_EVENT_ET == (uint32_t)EPOLLET, "EPOLLET");
_Static_assert(RW_CTL_ADD == EPOLL_CTL_ADD, "EPOLL_CTL_ADD");
_Static_assert(RW_CTL_DEL == EPOLL_CTL_DEL, "EPOLL_CTL_DEL");
_Static_assert(RW_CTL_MOD == EPOLL_CTL_MOD, "EPOLL_CTL_MOD");

int rw_random_fill(void *buffer, size_t count) {
    size_t got = 0;
    while (got < count) {
        ssize_t n = getrandom((char *)buffer + got, count - got, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        got += (size_t)n;
    }
    return 0;
}

void rw_set_thread_name(const char *name) {
    char shortName[16];
    strncpy(shortName, name, 15);
    shortName[15] = 0;
    pthread_setname_np(pthread_self(), shortName);
}

int rw_has_epoll(void) { return 1; }

int rw_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int rw_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t token) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = token;
    return epoll_ctl(epfd, op, fd, &ev);
}

int rw_epoll_wait(int epfd, rw_event *out, int capacity, int timeout_ms) {
    struct epoll_event evs[256];
    if (capacity > 256) capacity = 256;
    int n = epoll_wait(epfd, evs, capacity, timeout_ms);
    for (int i = 0; i < n; i++) {
        out[i].events = evs[i].events;
        out[i].token = evs[i].data.u64;
    }
    return n;
}

int rw_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int rw_eventfd_signal(int fd) {
    uint64_t one = 1;
    ssize_t r = write(fd, &one, sizeof one);
    return r == (ssize_t)sizeof one || errno == EAGAIN ? 0 : -1;
}

int rw_eventfd_drain(int fd) {
    uint64_t value;
    return read(fd, &value, sizeof value) >= 0 || errno == EAGAIN ? 0 : -1;
}

int rw_accept(int fd, struct sockaddr *addr, socklen_t *len) {
    return accept4(fd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

#else

#include <stdlib.h>

int rw_random_fill(void *buffer, size_t count) {
    arc4random_buf(buffer, count);
    return 0;
}

void rw_set_thread_name(const char *name) {
#ifdef __APPLE__
    pthread_setname_np(name);
#else
    (void)name;
#endif
}

int rw_has_epoll(void) { return 0; }
int rw_epoll_create(void) { errno = ENOSYS; return -1; }
int rw_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t token) {
    (void)epfd; (void)op; (void)fd; (void)events; (void)token;
    errno = ENOSYS; return -1;
}
int rw_epoll_wait(int epfd, rw_event *out, int capacity, int timeout_ms) {
    (void)epfd; (void)out; (void)capacity; (void)timeout_ms;
    errno = ENOSYS; return -1;
}
int rw_eventfd(void) { errno = ENOSYS; return -1; }
int rw_eventfd_signal(int fd) { (void)fd; errno = ENOSYS; return -1; }
int rw_eventfd_drain(int fd) { (void)fd; errno = ENOSYS; return -1; }

int rw_accept(int fd, struct sockaddr *addr, socklen_t *len) {
    int c = accept(fd, addr, len);
    if (c >= 0) {
        fcntl(c, F_SETFL, fcntl(c, F_GETFL) | O_NONBLOCK);
        fcntl(c, F_SETFD, FD_CLOEXEC);
    }
    return c;
}
#endif

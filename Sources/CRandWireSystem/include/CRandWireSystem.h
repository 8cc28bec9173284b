// Thin wrappers for Linux calls that `import Glibc` does not export to Swift
// (epoll, eventfd, accept4, getrandom, pthread_setname_np). On other platforms the functions report ENOSYS so
// Swift code can fall back to poll().
//
// The header also includes the POSIX headers the socket layer uses (the same names on Linux and
// macOS), so a RandWireSocket file that needs C types writes `import CRandWireSystem` instead of a
// `#if canImport(Glibc)` block of its own; what differs by platform stays in Platform.swift.
#ifndef CRANDWIRESYSTEM_H
#define CRANDWIRESYSTEM_H

#include <stdint.h>
#include <errno.h>
#include <dirent.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Readiness bits and flags, mirrored from <sys/epoll.h> (Linux ABI values) so Swift needs no
/// epoll headers; shim.c checks them against the real constants at compile time.
#define RW_EVENT_IN 0x001u
#define RW_EVENT_PRI 0x002u
#define RW_EVENT_OUT 0x004u
#define RW_EVENT_ERR 0x008u
#define RW_EVENT_HUP 0x010u
#define RW_EVENT_RDHUP 0x2000u
#define RW_EVENT_EXCLUSIVE 0x10000000u
#define RW_EVENT_ONESHOT 0x40000000u
#define RW_EVENT_ET 0x80000000u

/// epoll_ctl operations, mirrored from <sys/epoll.h> (EPOLL_CTL_ADD, _DEL, _MOD).
#define RW_CTL_ADD 1
#define RW_CTL_DEL 2
#define RW_CTL_MOD 3

typedef struct rw_event {
    uint32_t events;
    uint64_t token;
} rw_event;

/// 1 when epoll is available on this platform, 0 otherwise.
int rw_has_epoll(void);
int rw_epoll_create(void);
/// op: RW_CTL_ADD, RW_CTL_MOD or RW_CTL_DEL; `events` may include RW_EVENT_ONESHOT, _ET, _EXCLUSIVE.
int rw_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t token);
/// Returns the number of events written to `out`, or -1 with errno set.
int rw_epoll_wait(int epfd, rw_event *out, int capacity, int timeout_ms);
int rw_eventfd(void);
int rw_eventfd_signal(int fd);
int rw_eventfd_drain(int fd);
/// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC where available, otherwise accept + fcntl.
int rw_accept(int fd, struct sockaddr *addr, socklen_t *len);

/// Fills `buffer` from the kernel CSPRNG (getrandom on Linux, arc4random_buf elsewhere).
/// Returns 0, or -1 with errno set.
int rw_random_fill(void *buffer, size_t count);
/// Names the calling thread (truncated to 15 bytes on Linux).
void rw_set_thread_name(const char *name);

#ifdef __cplusplus
}
#endif
#endif

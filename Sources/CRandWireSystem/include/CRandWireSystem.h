// Thin wrappers for Linux calls that `import Glibc` does not export to Swift
// (epoll, eventfd, accept4, getrandom, pthread_setname_np). On other platforms the functions report ENOSYS so
// Swift code can fall back to poll().
#ifndef CRANDWIRESYSTEM_H
#define CRANDWIRESYSTEM_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Readiness bits, mirrored from epoll so Swift needs no epoll headers.
enum {
    RW_EVENT_IN = 0x001,
    RW_EVENT_OUT = 0x004,
    RW_EVENT_ERR = 0x008,
    RW_EVENT_HUP = 0x010,
    RW_EVENT_RDHUP = 0x2000,
};

typedef struct rw_event {
    uint32_t events;
    uint64_t token;
} rw_event;

/// 1 when epoll is available on this platform, 0 otherwise.
int rw_has_epoll(void);
int rw_epoll_create(void);
/// op: 0 add, 1 modify, 2 delete. `oneshot` re-arms are done with modify.
int rw_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t token, int oneshot);
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

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CRandWireSystem

/// One epoll instance plus an eventfd to wake it, for the server's event loops (Linux only;
/// `isSupported` is false elsewhere). Owned by one thread; only `wake` may be called from others.
package final class EventPoller: @unchecked Sendable {
    package typealias Event = rw_event

    package static let readable = UInt32(RW_EVENT_IN)
    package static let writable = UInt32(RW_EVENT_OUT)
    package static let error = UInt32(RW_EVENT_ERR)
    package static let hangUp = UInt32(RW_EVENT_HUP)
    /// The token `wait` reports for a `wake`.
    package static let wakeToken = UInt64.max

    package static var isSupported: Bool { rw_has_epoll() == 1 }

    private let epoll: Int32
    private let wakeDescriptor: Int32
    package let events: UnsafeMutableBufferPointer<rw_event>

    package init(capacity: Int = 256) throws(SocketError) {
        epoll = rw_epoll_create()
        guard epoll >= 0 else { throw SocketError(operation: "epoll_create1", errno: errno) }
        wakeDescriptor = rw_eventfd()
        guard wakeDescriptor >= 0 else {
            let code = errno
            Platform.closeDescriptor(epoll)
            throw SocketError(operation: "eventfd", errno: code)
        }
        events = .allocate(capacity: Swift.min(Swift.max(capacity, 1), 256))
        if rw_epoll_ctl(epoll, 0, wakeDescriptor, Self.readable, Self.wakeToken, 0) != 0 {
            let code = errno
            Platform.closeDescriptor(wakeDescriptor)
            Platform.closeDescriptor(epoll)
            events.deallocate()
            throw SocketError(operation: "epoll_ctl", errno: code)
        }
    }

    deinit {
        Platform.closeDescriptor(wakeDescriptor)
        Platform.closeDescriptor(epoll)
        events.deallocate()
    }

    /// Registers `fd` (level-triggered). Returns errno, 0 on success.
    @inline(__always)
    package func add(_ fd: Int32, events: UInt32, token: UInt64) -> Int32 {
        rw_epoll_ctl(epoll, 0, fd, events, token, 0) == 0 ? 0 : errno
    }

    @inline(__always)
    package func modify(_ fd: Int32, events: UInt32, token: UInt64) -> Int32 {
        rw_epoll_ctl(epoll, 1, fd, events, token, 0) == 0 ? 0 : errno
    }

    @inline(__always)
    package func remove(_ fd: Int32) {
        _ = rw_epoll_ctl(epoll, 2, fd, 0, 0, 0)
    }

    /// Waits up to `timeout` ms (-1 forever); returns how many of `events` are filled (0 on
    /// timeout or EINTR).
    @inline(__always)
    package func wait(timeout: Int32) -> Int {
        let count = rw_epoll_wait(epoll, events.baseAddress, Int32(events.count), timeout)
        return count > 0 ? Int(count) : 0
    }

    /// Makes a `wait` on another thread return (with `wakeToken`). Thread-safe.
    package func wake() { _ = rw_eventfd_signal(wakeDescriptor) }

    /// Clears pending wakes; call when `wakeToken` is reported.
    package func drainWakes() { _ = rw_eventfd_drain(wakeDescriptor) }
}

/// accept4(NONBLOCK | CLOEXEC) on a listening fd; the peer address is written to `storage`.
/// Returns the fd or -1 with the errno.
@inline(__always)
package func acceptConnection(_ listener: Int32, _ storage: UnsafeMutablePointer<sockaddr_storage>?) -> (fd: Int32, errno: Int32) {
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let fd: Int32
    if let storage {
        fd = storage.withMemoryRebound(to: sockaddr.self, capacity: 1) { rw_accept(listener, $0, &length) }
    } else {
        fd = rw_accept(listener, nil, nil)
    }
    if fd < 0 { return (-1, errno) }
    Platform.prepareDescriptor(fd)
    return (fd, 0)
}

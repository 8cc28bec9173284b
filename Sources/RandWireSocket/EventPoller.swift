import CRandWireSystem

/// One epoll instance plus an eventfd to wake it, for the server's event loops and the load
/// generator's workers (Linux only; `isSupported` is false elsewhere). Owned by one thread; only
/// `wake` may be called from others.
// @unchecked: owned by one thread (its buffers are mutable); only `wake`, an eventfd write, crosses threads.
package final class EventPoller: @unchecked Sendable {
    /// epoll event bits: what to wait for when registering, what happened when reported.
    package struct Events: OptionSet, Sendable, Hashable {
        package var rawValue: UInt32

        @inlinable @inline(__always)
        package init(rawValue: UInt32) { self.rawValue = rawValue }

        /// EPOLLIN.
        @inlinable package static var readable: Events { Events(rawValue: RW_EVENT_IN) }
        /// EPOLLPRI: urgent data.
        @inlinable package static var priority: Events { Events(rawValue: RW_EVENT_PRI) }
        /// EPOLLOUT.
        @inlinable package static var writable: Events { Events(rawValue: RW_EVENT_OUT) }
        /// EPOLLERR (always reported; never needs asking for).
        @inlinable package static var error: Events { Events(rawValue: RW_EVENT_ERR) }
        /// EPOLLHUP (always reported).
        @inlinable package static var hangUp: Events { Events(rawValue: RW_EVENT_HUP) }
        /// EPOLLRDHUP: the peer shut down its writing side (its FIN is queued).
        @inlinable package static var readHangUp: Events { Events(rawValue: RW_EVENT_RDHUP) }
        /// EPOLLEXCLUSIVE (Linux 4.5, add only): of several epoll instances waiting on one fd,
        /// wake one, not all.
        @inlinable package static var exclusive: Events { Events(rawValue: RW_EVENT_EXCLUSIVE) }
        /// EPOLLONESHOT: report once, then disarm until modified.
        @inlinable package static var oneShot: Events { Events(rawValue: RW_EVENT_ONESHOT) }
        /// EPOLLET: edge-triggered.
        @inlinable package static var edgeTriggered: Events { Events(rawValue: RW_EVENT_ET) }
    }

    /// epoll_ctl's operations.
    package enum Operation: Int32, Sendable {
        case add = 1  // EPOLL_CTL_ADD (RW_CTL_ADD)
        case delete = 2  // EPOLL_CTL_DEL (RW_CTL_DEL)
        case modify = 3  // EPOLL_CTL_MOD (RW_CTL_MOD)
    }

    /// One reported event.
    package struct Event {
        package var events: Events
        /// The token given at registration.
        package var token: UInt64

        @inlinable @inline(__always)
        package init(events: Events, token: UInt64) {
            self.events = events
            self.token = token
        }
    }

    /// The token `wait` reports for a `wake`.
    package static let wakeToken = UInt64.max

    package static var isSupported: Bool { rw_has_epoll() == 1 }

    @usableFromInline let epoll: Int32
    private let wakeDescriptor: Int32
    @usableFromInline let buffer: UnsafeMutableBufferPointer<rw_event>

    package init(capacity: Int = 256) throws(SocketError) {
        switch Syscall.valueOrErrno({ rw_epoll_create() }) {
        case let .success(created): epoll = created
        case let .failure(code): throw SocketError(operation: "epoll_create1", code)
        }
        switch Syscall.valueOrErrno({ rw_eventfd() }) {
        case let .success(created): wakeDescriptor = created
        case let .failure(code):
            Platform.closeDescriptor(epoll)
            throw SocketError(operation: "eventfd", code)
        }
        buffer = .allocate(capacity: Swift.min(Swift.max(capacity, 1), 256))
        if case let .failure(code) = control(.add, wakeDescriptor, events: .readable, token: Self.wakeToken) {
            Platform.closeDescriptor(wakeDescriptor)
            Platform.closeDescriptor(epoll)
            buffer.deallocate()
            throw SocketError(operation: "epoll_ctl", code)
        }
    }

    deinit {
        Platform.closeDescriptor(wakeDescriptor)
        Platform.closeDescriptor(epoll)
        buffer.deallocate()
    }

    /// epoll_ctl: registers `fd`, changes what it waits for, or removes it. `token` comes back
    /// with its events.
    @inlinable @inline(__always)
    package func control(_ operation: Operation, _ fd: Int32, events: Events, token: UInt64) -> Result<Void, Errno> {
        Syscall.nothingOrErrno { rw_epoll_ctl(epoll, operation.rawValue, fd, events.rawValue, token) }
    }

    /// Registers `fd` (level-triggered unless `events` says otherwise).
    @inlinable @inline(__always)
    package func add(_ fd: Int32, events: Events, token: UInt64) -> Result<Void, Errno> {
        control(.add, fd, events: events, token: token)
    }

    @inlinable @inline(__always)
    package func modify(_ fd: Int32, events: Events, token: UInt64) -> Result<Void, Errno> {
        control(.modify, fd, events: events, token: token)
    }

    /// Unregisters `fd` (closing it does that too).
    @inlinable @inline(__always)
    package func remove(_ fd: Int32) {
        _ = control(.delete, fd, events: [], token: 0)
    }

    /// Waits up to `timeout` ms (-1 forever); returns how many events `event(at:)` holds (0 on
    /// timeout or EINTR).
    @inlinable @inline(__always)
    package func wait(timeout: Int32) -> Int {
        let count = rw_epoll_wait(epoll, buffer.baseAddress, Int32(buffer.count), timeout)
        return count > 0 ? Int(count) : 0
    }

    /// The `index`th event of the last `wait`.
    @inlinable @inline(__always)
    package func event(at index: Int) -> Event {
        let raw = buffer[index]
        return Event(events: Events(rawValue: raw.events), token: raw.token)
    }

    /// Makes a `wait` on another thread return (with `wakeToken`). Thread-safe.
    package func wake() { _ = rw_eventfd_signal(wakeDescriptor) }

    /// Clears pending wakes; call when `wakeToken` is reported.
    package func drainWakes() { _ = rw_eventfd_drain(wakeDescriptor) }
}

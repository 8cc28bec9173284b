import CRandWireSystem

/// The errno of a failed system call, as a typed error. The socket layer reads errno in one
/// place (`Syscall.valueOrErrno`), right after the call, so nothing in between can overwrite it.
package struct Errno: Error, RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package var rawValue: Int32

    @inlinable package init(rawValue: Int32) { self.rawValue = rawValue }
    @inlinable package init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// strerror's text.
    package var description: String { Platform.message(for: rawValue) }

    /// EAGAIN or EWOULDBLOCK ("try again later"; equal on Linux, not everywhere).
    @inlinable package var isWouldBlock: Bool { rawValue == EAGAIN || rawValue == EWOULDBLOCK }

    @inlinable package static var interrupted: Errno { Errno(EINTR) }
    @inlinable package static var wouldBlock: Errno { Errno(EAGAIN) }
    @inlinable package static var inProgress: Errno { Errno(EINPROGRESS) }
    @inlinable package static var notConnected: Errno { Errno(ENOTCONN) }
    @inlinable package static var connectionRefused: Errno { Errno(ECONNREFUSED) }
    @inlinable package static var connectionReset: Errno { Errno(ECONNRESET) }
    @inlinable package static var connectionAborted: Errno { Errno(ECONNABORTED) }
    @inlinable package static var brokenPipe: Errno { Errno(EPIPE) }
    @inlinable package static var timedOut: Errno { Errno(ETIMEDOUT) }
    @inlinable package static var addressInUse: Errno { Errno(EADDRINUSE) }
    @inlinable package static var addressNotAvailable: Errno { Errno(EADDRNOTAVAIL) }
    @inlinable package static var tooManyOpenFiles: Errno { Errno(EMFILE) }
    @inlinable package static var tooManyOpenFilesInSystem: Errno { Errno(ENFILE) }
    @inlinable package static var noBufferSpace: Errno { Errno(ENOBUFS) }
    @inlinable package static var noMemory: Errno { Errno(ENOMEM) }
    @inlinable package static var protocolError: Errno { Errno(EPROTO) }
    @inlinable package static var notPermitted: Errno { Errno(EPERM) }
    @inlinable package static var badDescriptor: Errno { Errno(EBADF) }
    @inlinable package static var invalidArgument: Errno { Errno(EINVAL) }
    @inlinable package static var notImplemented: Errno { Errno(ENOSYS) }
}

/// The socket layer's system calls with one errno policy, after swift-system's
/// `valueOrErrno(retryOnInterrupt:)`: a call that fails with -1 yields `.failure(Errno)`, read at
/// once; EINTR reruns the call unless the call must not be repeated (connect, close, poll with a
/// deadline). EAGAIN is a failure like any other: callers decide whether to wait.
package enum Syscall {
    /// Runs `call` (returning -1 and setting errno on failure) and captures errno right after it.
    @inlinable @inline(__always)
    package static func valueOrErrno<T: FixedWidthInteger & SignedInteger>(
        retryOnInterrupt: Bool = true, _ call: () -> T
    ) -> Result<T, Errno> {
        while true {
            let value = call()
            if value != -1 { return .success(value) }
            let code = Errno.current
            if retryOnInterrupt && code == .interrupted { continue }
            return .failure(code)
        }
    }

    /// Like `valueOrErrno` for calls that return 0 on success.
    @inlinable @inline(__always)
    package static func nothingOrErrno(retryOnInterrupt: Bool = true, _ call: () -> Int32) -> Result<Void, Errno> {
        valueOrErrno(retryOnInterrupt: retryOnInterrupt, call).map { _ in () }
    }

    /// send() without SIGPIPE; the count sent (possibly partial).
    @inlinable @inline(__always)
    package static func send(_ fd: Int32, _ base: UnsafeRawPointer?, _ count: Int) -> Result<Int, Errno> {
        valueOrErrno { Platform.send(fd, base, count) }
    }

    /// recv(); 0 is EOF.
    @inlinable @inline(__always)
    package static func receive(_ fd: Int32, _ base: UnsafeMutableRawPointer?, _ count: Int) -> Result<Int, Errno> {
        valueOrErrno { recv(fd, base, count, 0) }
    }

    /// Starts a connect. Never retried on EINTR: the connect goes on in the background, and a
    /// second call would fail with EALREADY.
    @inlinable
    package static func connect(_ fd: Int32, to address: SocketAddress) -> Result<Void, Errno> {
        nothingOrErrno(retryOnInterrupt: false) { address.withSockAddr { Platform.connect(fd, $0, $1) } }
    }

    package static func bind(_ fd: Int32, to address: SocketAddress) -> Result<Void, Errno> {
        nothingOrErrno { address.withSockAddr { Platform.bind(fd, $0, $1) } }
    }

    package static func listen(_ fd: Int32, backlog: Int32) -> Result<Void, Errno> {
        nothingOrErrno { CRandWireSystem.listen(fd, backlog) }
    }

    /// accept4(NONBLOCK | CLOEXEC); the peer address goes to `peer` when given.
    @inlinable @inline(__always)
    package static func accept(_ listener: Int32, peer: PeerAddressBuffer? = nil) -> Result<Int32, Errno> {
        let result = valueOrErrno { () -> Int32 in
            guard let peer else { return rw_accept(listener, nil, nil) }
            peer.length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            return peer.storage.withMemoryRebound(to: sockaddr.self, capacity: 1) { rw_accept(listener, $0, &peer.length) }
        }
        if case let .success(fd) = result { Platform.prepareDescriptor(fd) }
        return result
    }

    /// poll() on `entries`. Not retried on EINTR: the caller recomputes its timeout first.
    @inlinable @inline(__always)
    package static func poll(_ entries: UnsafeMutablePointer<pollfd>, count: Int, timeout: Int32) -> Result<Int32, Errno> {
        valueOrErrno(retryOnInterrupt: false) { Platform.poll(entries, count, timeout) }
    }

    @inlinable @inline(__always)
    package static func shutdown(_ fd: Int32, _ how: Int32) -> Result<Void, Errno> {
        nothingOrErrno { CRandWireSystem.shutdown(fd, how) }
    }

    package static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) -> Result<Void, Errno> {
        nothingOrErrno { Platform.setOption(fd, level, name, value) ? 0 : -1 }
    }

    /// The pending error of a socket (SO_ERROR), e.g. the outcome of a non-blocking connect: 0
    /// when there is none.
    package static func pendingError(_ fd: Int32) -> Result<Int32, Errno> {
        var pending: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return nothingOrErrno { getsockopt(fd, SOL_SOCKET, SO_ERROR, &pending, &length) }.map { pending }
    }
}

/// Room for one peer address from `accept`, allocated once and reused (the event loops pass it
/// on every accept when logging).
package final class PeerAddressBuffer {
    @usableFromInline let storage: UnsafeMutablePointer<sockaddr_storage>
    @usableFromInline var length: socklen_t = 0

    package init() {
        storage = .allocate(capacity: 1)
        storage.initialize(to: sockaddr_storage())
    }

    deinit { storage.deallocate() }

    /// The address the last accept wrote, if it is IPv4 or IPv6.
    package var address: SocketAddress? { SocketAddress(storage: storage.pointee, length: length) }
}

extension SocketError {
    /// An error from a syscall's errno, classified and described with strerror.
    package init(operation: String, _ code: Errno) {
        self.init(operation: operation, errno: code.rawValue)
    }
}

import CRandWireSystem

/// A listening TCP socket with a deadline-bounded `accept`, for tests and simple servers.
/// `close` from another thread wakes a blocked `accept`.
package final class Listener: Sendable {
    package let descriptor: GuardedDescriptor
    /// The bound address, with the real port when 0 was asked for.
    package let address: SocketAddress

    private init(fd: Int32, address: SocketAddress) {
        descriptor = GuardedDescriptor(fd)
        self.address = address
    }

    /// Binds and listens. `host` is a numeric IPv4/IPv6 literal (`::` listens on both families)
    /// or a name, bound at its first address. The socket is SO_REUSEADDR, close-on-exec and
    /// non-blocking; `reusePort` adds SO_REUSEPORT so several listeners can share the port.
    package static func bind(host: String, port: UInt16, backlog: Int32 = 1024, reusePort: Bool = false) throws(SocketError) -> Listener {
        let fd = try makeListeningSocket(host: host, port: port, backlog: backlog, sharing: reusePort ? .joinGroup : .exclusive)
        guard let bound = SocketAddress.of(fd, peer: false) else {
            let code = Errno.current
            Platform.closeDescriptor(fd)
            throw SocketError(operation: "getsockname", code)
        }
        return Listener(fd: fd, address: bound)
    }

    /// How a listening socket shares its port.
    package enum PortSharing: Sendable {
        /// No SO_REUSEPORT: the bind fails if anyone holds the port.
        case exclusive
        /// SO_REUSEPORT before bind: joins the port's existing SO_REUSEPORT group, if any.
        case joinGroup
        /// The first of a process's own group: bound without SO_REUSEPORT, so the bind fails
        /// with EADDRINUSE if anyone holds the port (with or without SO_REUSEPORT), then given
        /// SO_REUSEPORT before `listen` so this process's `joinGroup` sockets can share it.
        ///
        /// Why this way: Linux lets a SO_REUSEPORT bind join a port only if every socket
        /// already on it had SO_REUSEPORT set, and reads the flag at each later bind, not at the
        /// earlier sockets' bind. Deciding exclusivity by the first bind itself leaves no window:
        /// a bind-probe-and-close check would leave one between the probe and the real bind,
        /// and scanning /proc for other listeners one between the scan and the bind. Two
        /// servers starting at once both bind first without SO_REUSEPORT, and exactly one
        /// wins. A process that later binds the port with SO_REUSEPORT as the same user can
        /// still join; that is its own choice, not a second randwire server.
        case startGroup
    }

    /// The raw listening fd behind `bind`, for event loops that own their fds.
    package static func makeListeningSocket(host: String, port: UInt16, backlog: Int32, sharing: PortSharing) throws(SocketError) -> Int32 {
        let wanted = host.isEmpty || host == "*" ? "0.0.0.0" : host
        let address: SocketAddress
        if let literal = SocketAddress(numericHost: wanted, port: port) {
            address = literal
        } else {
            address = try Resolver.resolve(host: wanted, port: port)[0]
        }
        let fd: Int32
        switch Platform.makeStreamSocket(family: address.family) {
        case let .success(created): fd = created
        case let .failure(code): throw SocketError(operation: "socket", code)
        }
        _ = Syscall.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        if sharing == .joinGroup {
            try setReusePort(fd)
        }
        if address.isIPv6 {
            // Dual stack for "::"; harmless for a specific IPv6 address.
            _ = Syscall.setOption(fd, Platform.protoIPv6, IPV6_V6ONLY, 0)
        }
        if case let .failure(code) = Syscall.bind(fd, to: address) {
            Platform.closeDescriptor(fd)
            throw SocketError(operation: "bind \(address)", code)
        }
        if sharing == .startGroup {
            try setReusePort(fd)
        }
        if case let .failure(code) = Syscall.listen(fd, backlog: backlog) {
            Platform.closeDescriptor(fd)
            throw SocketError(operation: "listen", code)
        }
        return fd
    }

    private static func setReusePort(_ fd: Int32) throws(SocketError) {
        if case let .failure(code) = Syscall.setOption(fd, SOL_SOCKET, Platform.reusePortOption, 1) {
            Platform.closeDescriptor(fd)
            throw SocketError(operation: "setsockopt(SO_REUSEPORT)", code)
        }
    }

    /// Waits for the next connection until the deadline; nil on timeout. Throws `.closed` once
    /// the listener is closed, `.limit` when out of file descriptors.
    package func accept(deadline: Deadline) throws(SocketError) -> Connection? {
        let result: Result<Connection?, SocketError> = descriptor.borrow { fd in
            let peer = PeerAddressBuffer()
            while true {
                switch Syscall.accept(fd, peer: peer) {
                case let .success(client):
                    return .success(Connection(adopting: client, local: SocketAddress.of(client, peer: false), remote: peer.address))
                case .failure(.connectionAborted): continue
                case let .failure(code):
                    if descriptor.isClosed { return .failure(SocketError.closed("accept")) }
                    guard code.isWouldBlock else {
                        if code == .invalidArgument { return .failure(SocketError.closed("accept")) }
                        return .failure(SocketError(operation: "accept", code))
                    }
                }
                switch Readiness.wait(fd, for: Platform.pollIn, until: deadline) {
                case .ready: continue
                case .timeout: return .success(nil)
                case let .failed(code): return .failure(SocketError(operation: "poll", code))
                }
            }
        } ?? .failure(SocketError.closed("accept"))
        return try result.get()
    }

    /// Stops listening: shutdown (which wakes a blocked accept) and close. Idempotent.
    package func close() { descriptor.close(shutdownFirst: true) }
}

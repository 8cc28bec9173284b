import CRandWireSystem

/// A resolved IPv4 or IPv6 address with a port, as the kernel takes it.
package enum SocketAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(sockaddr_in)
    case v6(sockaddr_in6)

    /// Parses a numeric IPv4 or IPv6 literal (no brackets, no names); nil if `host` is neither.
    package init?(numericHost host: String, port: UInt16) {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            var address = sockaddr_in()
            Platform.setLengthField(&address)
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr = v4
            self = .v4(address)
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            var address = sockaddr_in6()
            Platform.setLengthField(&address)
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_addr = v6
            self = .v6(address)
            return
        }
        return nil
    }

    /// Reads an address the kernel wrote (accept, getsockname, getaddrinfo); nil for other families.
    package init?(_ pointer: UnsafeRawPointer, length: Int) {
        let family = Int32(pointer.load(fromByteOffset: MemoryLayout<sockaddr>.offset(of: \.sa_family)!, as: sa_family_t.self))
        if family == AF_INET, length >= MemoryLayout<sockaddr_in>.size {
            self = .v4(pointer.loadUnaligned(as: sockaddr_in.self))
        } else if family == AF_INET6, length >= MemoryLayout<sockaddr_in6>.size {
            self = .v6(pointer.loadUnaligned(as: sockaddr_in6.self))
        } else {
            return nil
        }
    }

    package init?(storage: sockaddr_storage, length: socklen_t) {
        var copy = storage
        guard let address = withUnsafeBytes(of: &copy, { SocketAddress($0.baseAddress!, length: Int(length)) }) else { return nil }
        self = address
    }

    private static func string(_ text: [CChar]) -> String {
        String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    package var port: UInt16 {
        switch self {
        case let .v4(address): UInt16(bigEndian: address.sin_port)
        case let .v6(address): UInt16(bigEndian: address.sin6_port)
        }
    }

    /// The numeric host: `127.0.0.1`, `::1` (no brackets), `fe80::1%2` with a scope.
    package var host: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch self {
        case var .v4(address):
            _ = inet_ntop(AF_INET, &address.sin_addr, &text, socklen_t(text.count))
            return Self.string(text)
        case var .v6(address):
            _ = inet_ntop(AF_INET6, &address.sin6_addr, &text, socklen_t(text.count))
            let base = Self.string(text)
            return address.sin6_scope_id == 0 ? base : "\(base)%\(address.sin6_scope_id)"
        }
    }

    /// `127.0.0.1:80` or `[::1]:80`.
    package var description: String {
        switch self {
        case .v4: "\(host):\(port)"
        case .v6: "[\(host)]:\(port)"
        }
    }

    package var isIPv6: Bool {
        if case .v6 = self { return true }
        return false
    }

    /// The same host with another port.
    package func with(port: UInt16) -> SocketAddress {
        switch self {
        case var .v4(address):
            address.sin_port = port.bigEndian
            return .v4(address)
        case var .v6(address):
            address.sin6_port = port.bigEndian
            return .v6(address)
        }
    }

    package var family: Int32 {
        switch self {
        case .v4: AF_INET
        case .v6: AF_INET6
        }
    }

    /// Calls `body` with the address as the `sockaddr` pointer and length bind/connect take.
    package func withSockAddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        switch self {
        case var .v4(address):
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case var .v6(address):
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }

    /// The address bytes that matter for equality: family, port, address, IPv6 scope.
    private var identity: [UInt8] {
        switch self {
        case let .v4(address):
            var addr = address.sin_addr
            return [4, UInt8(truncatingIfNeeded: address.sin_port), UInt8(truncatingIfNeeded: address.sin_port >> 8)]
                + withUnsafeBytes(of: &addr) { Array($0) }
        case let .v6(address):
            var addr = address.sin6_addr
            var scope = address.sin6_scope_id
            return [6, UInt8(truncatingIfNeeded: address.sin6_port), UInt8(truncatingIfNeeded: address.sin6_port >> 8)]
                + withUnsafeBytes(of: &addr) { Array($0) } + withUnsafeBytes(of: &scope) { Array($0) }
        }
    }

    package static func == (a: SocketAddress, b: SocketAddress) -> Bool { a.identity == b.identity }

    package func hash(into hasher: inout Hasher) { hasher.combine(identity) }

    /// Reads the local or peer address of `fd`.
    package static func of(_ fd: Int32, peer: Bool) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                peer ? getpeername(fd, $0, &length) : getsockname(fd, $0, &length)
            }
        }
        guard rc == 0 else { return nil }
        return SocketAddress(storage: storage, length: length)
    }
}

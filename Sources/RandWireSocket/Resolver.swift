import CRandWireSystem

/// Host name resolution through getaddrinfo. Blocking: call it off the concurrency pool.
package enum Resolver {
    /// Every TCP address of `host`, in the resolver's order (`::1` before `127.0.0.1` where both
    /// exist), duplicates removed. No AI_ADDRCONFIG: it can hide loopback-only families.
    package static func resolve(host: String, port: UInt16) throws(SocketError) -> [SocketAddress] {
        if let literal = SocketAddress(numericHost: host, port: port) { return [literal] }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Platform.streamType
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        let savedErrno = Errno.current.rawValue
        guard rc == 0 else {
            let operation = "resolve '\(host)'"
            if rc == EAI_SYSTEM {
                throw SocketError(kind: .resolution, operation: operation, errno: savedErrno, message: Platform.message(for: savedErrno))
            }
            let message = gai_strerror(rc).map { String(cString: $0) } ?? "resolution failed (\(rc))"
            throw SocketError(kind: .resolution, operation: operation, errno: 0, message: message)
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var cursor = list
        while let entry = cursor {
            if let raw = entry.pointee.ai_addr,
                let address = SocketAddress(UnsafeRawPointer(raw), length: Int(entry.pointee.ai_addrlen)),
                !addresses.contains(address)
            {
                addresses.append(address)
            }
            cursor = entry.pointee.ai_next
        }
        guard !addresses.isEmpty else {
            throw SocketError(kind: .resolution, operation: "resolve '\(host)'", errno: 0, message: "no IPv4 or IPv6 address")
        }
        return addresses
    }
}

import CRandWireSystem

/// What one read produced.
package enum ReadOutcome: Sendable, Hashable {
    case data([UInt8])
    /// The peer closed its side (FIN).
    case eof
    /// The peer reset the connection (RST).
    case reset
    case timeout
    case failed(SocketError)
}

/// A connected TCP socket. Non-blocking underneath: every call blocks the calling thread at most
/// until its deadline (poll). `close` and `abort` are safe from any thread and wake a blocked call.
/// Never call these from a Swift concurrency thread; use `BlockingPool`.
package final class Connection: Sendable {
    package let descriptor: GuardedDescriptor
    package let localAddress: SocketAddress?
    package let remoteAddress: SocketAddress?

    package init(adopting fd: Int32, local: SocketAddress?, remote: SocketAddress?) {
        descriptor = GuardedDescriptor(fd)
        localAddress = local
        remoteAddress = remote
    }

    /// Resolves `endpoint` and tries each address in order until one connects or the deadline
    /// passes. Throws the last address's error (resolution errors have kind `.resolution`).
    package static func connect(to endpoint: Endpoint, deadline: Deadline) throws(SocketError) -> Connection {
        let addresses = try Resolver.resolve(host: endpoint.host, port: endpoint.port)
        var lastError = SocketError.timeout("connect")
        for address in addresses {
            if deadline.hasPassed { break }
            do {
                return try connect(to: address, deadline: deadline)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// Connects to one address (non-blocking connect, then poll for writability, then SO_ERROR).
    package static func connect(to address: SocketAddress, deadline: Deadline) throws(SocketError) -> Connection {
        let fd: Int32
        switch Platform.makeStreamSocket(family: address.family) {
        case let .success(created): fd = created
        case let .failure(code): throw SocketError(operation: "socket", code)
        }
        // Small writes (a request, then its LF) must not wait for an ACK.
        _ = Syscall.setOption(fd, Platform.protoTCP, TCP_NODELAY, 1)
        if case let .failure(code) = Syscall.connect(fd, to: address) {
            // EINTR: the connect goes on in the background, exactly as for EINPROGRESS.
            guard code == .inProgress || code == .interrupted || code == .wouldBlock else {
                Platform.closeDescriptor(fd)
                throw SocketError(operation: "connect", code)
            }
            switch Readiness.wait(fd, for: Platform.pollOut, until: deadline) {
            case .timeout:
                Platform.closeDescriptor(fd)
                throw SocketError.timeout("connect")
            case let .failed(code):
                Platform.closeDescriptor(fd)
                throw SocketError(operation: "poll", code)
            case .ready:
                let code: Int32
                switch Syscall.pendingError(fd) {
                case let .success(pending): code = pending
                case let .failure(failed): code = failed.rawValue
                }
                if code != 0 {
                    Platform.closeDescriptor(fd)
                    throw SocketError(operation: "connect", errno: code)
                }
            }
        }
        return Connection(adopting: fd, local: SocketAddress.of(fd, peer: false), remote: address)
    }

    /// Sends every byte (completing partial writes) or throws; the deadline bounds the whole call.
    package func send(_ bytes: [UInt8], deadline: Deadline) throws(SocketError) {
        let failure: SocketError? = descriptor.borrow { fd in
            bytes.withUnsafeBytes { buffer -> SocketError? in
                var offset = 0
                while offset < buffer.count {
                    switch Syscall.send(fd, buffer.baseAddress! + offset, buffer.count - offset) {
                    case let .success(sent):
                        offset += sent
                        continue
                    case let .failure(code) where code.isWouldBlock: break
                    case let .failure(code): return SocketError(operation: "send", code)
                    }
                    switch Readiness.wait(fd, for: Platform.pollOut, until: deadline) {
                    case .ready: continue
                    case .timeout: return SocketError.timeout("send")
                    case let .failed(code): return SocketError(operation: "poll", code)
                    }
                }
                return nil
            }
        } ?? SocketError.closed("send")
        if let failure { throw failure }
    }

    /// Reads what is there (up to `maxBytes`), waiting until the deadline for the first byte.
    /// One recv once the socket is readable; a deadline already passed still takes waiting data.
    package func read(maxBytes: Int, deadline: Deadline) -> ReadOutcome {
        guard maxBytes > 0 else {
            return .failed(SocketError(kind: .other, operation: "recv", errno: EINVAL, message: "maxBytes must be positive"))
        }
        return descriptor.borrow { fd -> ReadOutcome in
            var outcome = ReadOutcome.timeout
            let bytes = [UInt8](unsafeUninitializedCapacity: maxBytes) { buffer, count in
                count = 0
                while true {
                    switch Syscall.receive(fd, buffer.baseAddress, maxBytes) {
                    case let .success(received) where received > 0:
                        count = received
                        return
                    case .success:
                        outcome = .eof
                        return
                    case .failure(.connectionReset):
                        outcome = .reset
                        return
                    case let .failure(code) where code.isWouldBlock: break
                    case let .failure(code):
                        outcome = .failed(SocketError(operation: "recv", code))
                        return
                    }
                    switch Readiness.wait(fd, for: Platform.pollIn, until: deadline) {
                    case .ready: continue
                    case .timeout:
                        outcome = .timeout
                        return
                    case let .failed(code):
                        outcome = .failed(SocketError(operation: "poll", code))
                        return
                    }
                }
            }
            return bytes.isEmpty ? outcome : .data(bytes)
        } ?? .failed(SocketError.closed("recv"))
    }

    /// Sends FIN: the request is over (a half-close). Reading stays possible.
    package func shutdownWrite() {
        _ = descriptor.borrow { Syscall.shutdown($0, Platform.shutWrite) }
    }

    /// Closes gracefully (FIN). Idempotent; wakes a call blocked on another thread.
    package func close() { descriptor.close() }

    /// Closes with SO_LINGER {1, 0}, so the peer gets RST. Idempotent.
    package func abort() { descriptor.close(abort: true) }

    package var isClosed: Bool { descriptor.isClosed }
}

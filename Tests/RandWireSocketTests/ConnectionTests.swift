import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RandWireSocket
import RandWireTestSupport
import Testing

@Suite("Connections and listeners over loopback")
struct ConnectionTests {
    @Test("a listener on port 0 reports the real port")
    func listenerPort() throws {
        let listener = try Listener.bind(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        #expect(listener.address.port != 0)
        #expect(listener.address.host == "127.0.0.1")
        #expect(listener.address.description == "127.0.0.1:\(listener.address.port)")
    }

    @Test("connect to a closed port is refused quickly")
    func refused() throws {
        let listener = try Listener.bind(host: "127.0.0.1", port: 0)
        let address = listener.address
        listener.close()
        let start = Deadline.now
        #expect {
            _ = try Connection.connect(to: address, deadline: .after(.seconds(3)))
        } throws: { error in
            (error as? SocketError)?.kind == .refused
        }
        #expect(Deadline.now - start < .seconds(3))
        do {
            _ = try Connection.connect(to: Endpoint(host: "127.0.0.1", port: address.port), deadline: .after(.seconds(3)))
            Issue.record("connected to a closed port")
        } catch {
            #expect(error.kind == .refused)
            #expect(error.description.hasPrefix("connect: "))
        }
    }

    @Test("a read with nothing to read times out at its deadline")
    func readTimeout() async throws {
        let server = try OneShotServer { connection in
            // Hold the connection open, silent, until the client gives up and closes.
            _ = connection.read(maxBytes: 16, deadline: .after(.seconds(5)))
        }
        let outcome: (ReadOutcome, Duration) = try await BlockingPool.run {
            let client = try Connection.connect(to: server.address, deadline: .after(.seconds(10)))
            defer { client.close() }
            let start = Deadline.now
            let outcome = client.read(maxBytes: 16, deadline: .after(.milliseconds(150)))
            return (outcome, Deadline.now - start)
        }
        try await server.finish()
        #expect(outcome.0 == .timeout)
        #expect(outcome.1 >= .milliseconds(150))
        #expect(outcome.1 < .seconds(3))
    }

    @Test("data then EOF")
    func dataThenEOF() async throws {
        let server = try OneShotServer { connection in
            try connection.send(Array("42".utf8), deadline: .after(.seconds(10)))
        }
        let result = try await BlockingPool.run {
            let client = try Connection.connect(to: server.address, deadline: .after(.seconds(10)))
            defer { client.close() }
            #expect(client.remoteAddress == server.address)
            #expect(client.localAddress?.host == "127.0.0.1")
            return client.readAll(deadline: .after(.seconds(10)))
        }
        try await server.finish()
        #expect(result.bytes == Array("42".utf8))
        #expect(result.end == .eof)
    }

    @Test("abort sends RST, which reads as .reset")
    func resetByAbort() async throws {
        let server = try OneShotServer { connection in
            // Wait for the client's byte so the abort happens on an established, idle connection.
            _ = connection.read(maxBytes: 1, deadline: .after(.seconds(10)))
            connection.abort()
        }
        let outcome = try await BlockingPool.run {
            let client = try Connection.connect(to: server.address, deadline: .after(.seconds(10)))
            defer { client.close() }
            try client.send([1], deadline: .after(.seconds(10)))
            return client.read(maxBytes: 16, deadline: .after(.seconds(10)))
        }
        try await server.finish()
        #expect(outcome == .reset)
    }

    @Test("a 1 MiB send completes through partial writes")
    func largeSend() async throws {
        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        let server = try OneShotServer { connection in
            // Read slowly at first so the client's send buffer fills and its writes go partial.
            _ = connection.read(maxBytes: 1, deadline: .after(.milliseconds(50)))
            let (bytes, end) = connection.readAll(deadline: .after(.seconds(10)))
            try connection.send(Array(String(bytes.count).utf8) + [bytes.elementsEqual(payload.dropFirst()) ? 1 : 0], deadline: .after(.seconds(10)))
            #expect(end == .eof)
        }
        let reply = try await BlockingPool.run {
            let client = try Connection.connect(to: server.address, deadline: .after(.seconds(10)))
            defer { client.close() }
            try client.send(payload, deadline: .after(.seconds(10)))
            client.shutdownWrite()
            return client.readAll(deadline: .after(.seconds(10)))
        }
        try await server.finish()
        #expect(reply.bytes == Array(String((1 << 20) - 1).utf8) + [1])
    }

    @Test("a send deadline bounds a peer that never reads")
    func sendTimeout() async throws {
        let server = try OneShotServer { _ in
            // Never read, so the client's buffers fill; give up well after the client's deadline.
            _ = poll(nil, 0, 800)
        }
        let failure: SocketError? = try await BlockingPool.run { () throws -> SocketError? in
            let client = try Connection.connect(to: server.address, deadline: .after(.seconds(10)))
            defer { client.close() }
            do {
                // Far more than loopback buffers hold while the peer reads a single byte.
                try client.send([UInt8](repeating: 7, count: 64 << 20), deadline: .after(.milliseconds(300)))
                return nil
            } catch let error as SocketError {
                return error
            }
        }
        try await server.finish()
        #expect(failure?.kind == .timeout)
    }

    @Test("close on another thread wakes a blocked read")
    func closeWakesRead() async throws {
        let server = try OneShotServer { connection in
            _ = connection.read(maxBytes: 1, deadline: .after(.seconds(5)))
        }
        let client = try await BlockingPool.run { try Connection.connect(to: server.address, deadline: .after(.seconds(10))) }
        async let outcome = BlockingPool.run { () throws -> (ReadOutcome, Duration) in
            let start = Deadline.now
            return (client.read(maxBytes: 8, deadline: .after(.seconds(5))), Deadline.now - start)
        }
        // Poll for the reader to be parked; closing earlier is fine too (the read then fails fast).
        try await Task.sleep(for: .milliseconds(50))
        client.close()
        let (result, elapsed) = try await outcome
        #expect(elapsed < .seconds(5))
        #expect(result != .timeout)
        client.close()
        #expect(client.isClosed)
        try await server.finish()
        #expect(client.read(maxBytes: 1, deadline: .now) == .failed(SocketError.closed("recv")))
    }

    @Test("close wakes a blocked accept, and accept times out with nil")
    func listenerClose() async throws {
        let listener = try Listener.bind(host: "127.0.0.1", port: 0)
        let none = try await BlockingPool.run { try listener.accept(deadline: .after(.milliseconds(50))) }
        #expect(none == nil)
        async let accepted = BlockingPool.run { () throws -> (SocketError.Kind?, Duration) in
            let start = Deadline.now
            do {
                _ = try listener.accept(deadline: .after(.seconds(5)))
                return (nil, Deadline.now - start)
            } catch let error as SocketError {
                return (error.kind, Deadline.now - start)
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        listener.close()
        let (kind, elapsed) = try await accepted
        #expect(kind == .closed)
        #expect(elapsed < .seconds(5))
    }

    @Test("IPv6 loopback works", .enabled(if: ipv6Loopback, "this machine cannot bind IPv6 loopback"))
    func ipv6() async throws {
        let listener = try Listener.bind(host: "::1", port: 0)
        defer { listener.close() }
        #expect(listener.address.isIPv6)
        let endpoint = try Endpoint.parse("[::1]:\(listener.address.port)")
        async let accepted = BlockingPool.run { try listener.accept(deadline: .after(.seconds(10))) }
        let client = try await BlockingPool.run { try Connection.connect(to: endpoint, deadline: .after(.seconds(10))) }
        let server = try #require(try await accepted)
        try await BlockingPool.run {
            try server.send(Array("hi".utf8), deadline: .after(.seconds(1)))
            server.close()
            let (bytes, end) = client.readAll(deadline: .after(.seconds(10)))
            #expect(bytes == Array("hi".utf8))
            #expect(end == .eof)
            client.close()
        }
        #expect(client.remoteAddress?.description == "[::1]:\(listener.address.port)")
    }

    @Test("the blocking pool runs blocking work in parallel, off the cooperative pool")
    func poolParallelism() async throws {
        // Submitted and awaited from a plain thread, so the measure is the pool's own parallelism,
        // not how fast a busy test run schedules 40 tasks.
        let elapsed: Duration = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let group = DispatchGroup()
                let start = Deadline.now
                for _ in 0..<40 {
                    group.enter()
                    BlockingPool.submit {
                        _ = poll(nil, 0, 200)
                        group.leave()
                    }
                }
                group.wait()
                continuation.resume(returning: Deadline.now - start)
            }
        }
        // Serially this is 8 s.
        #expect(elapsed < .seconds(5))

        await #expect(throws: SocketError.self) {
            try await BlockingPool.run { throw SocketError.closed("x") }
        }
    }
}

#if compiler(>=6.2) && os(Linux)
@Suite("Process-level safety (exit tests)")
struct ProcessSafetyTests {
    @Test("sending to a closed peer is an EPIPE error, not SIGPIPE death")
    func noSIGPIPE() async {
        await #expect(processExitsWith: .exitCode(0)) {
            signal(SIGPIPE, SIG_DFL)
            let listener = try Listener.bind(host: "127.0.0.1", port: 0)
            let client = try Connection.connect(to: listener.address, deadline: .after(.seconds(10)))
            guard let server = try listener.accept(deadline: .after(.seconds(10))) else { exit(2) }
            server.abort()
            var sawError = false
            for _ in 0..<50 {
                do {
                    try client.send([UInt8](repeating: 1, count: 4096), deadline: .after(.seconds(1)))
                } catch let error as SocketError {
                    sawError = [SocketError.Kind.closed, .reset].contains(error.kind)
                    break
                }
            }
            exit(sawError ? 0 : 3)
        }
    }

    @Test("connections, listeners and the pool leave no fd behind")
    func noDescriptorLeak() async {
        await #expect(processExitsWith: .exitCode(0)) {
            // Warm up the pool and lazily opened system fds first.
            _ = try await BlockingPool.run { try Resolver.resolve(host: "localhost", port: 1) }
            let sockets = FileDescriptors.openSocketCount()
            let all = FileDescriptors.openCount()
            for round in 0..<50 {
                let listener = try Listener.bind(host: "127.0.0.1", port: 0)
                let client = try Connection.connect(to: listener.address, deadline: .after(.seconds(10)))
                guard let server = try listener.accept(deadline: .after(.seconds(10))) else { exit(2) }
                try server.send([1, 2, 3], deadline: .after(.seconds(1)))
                if round % 2 == 0 { server.close() } else { server.abort() }
                _ = client.read(maxBytes: 10, deadline: .after(.seconds(1)))
                client.close()
                client.close()
                listener.close()
            }
            // Refused and resolved connects too.
            _ = try? Connection.connect(to: Endpoint(host: "127.0.0.1", port: 1), deadline: .after(.seconds(1)))
            // Sockets exactly; other fds with slack for the runtime's own eventfds and timerfds.
            exit(FileDescriptors.openSocketCount() == sockets && abs(FileDescriptors.openCount() - all) <= 3 ? 0 : 4)
        }
    }
}
#endif

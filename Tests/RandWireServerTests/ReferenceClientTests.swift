import Foundation
import Synchronization
import RandWireClient
import RandWireProtocol
import RandWireServer
import RandWireSocket
import Testing

/// A one-connection server that sends `reply` and then closes, resets, or holds the connection
/// open until the client leaves (a seed 001/003 style server that never closes).
final class ScriptedServer: Sendable {
    enum After: Sendable { case close, abort, hold }

    let listener: Listener
    private let outcome = Mutex<Result<Void, any Error>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    /// Serves on a dedicated thread started at once: a Task could wait seconds for a cooperative
    /// thread in a loaded test run, longer than the client's deadline.
    init(reply: [UInt8], after: After, readFirst: Bool = false) throws {
        let listener = try Listener.bind(host: "127.0.0.1", port: 0)
        self.listener = listener
        Thread.detachNewThread { [self] in
            let result = Result<Void, any Error> {
                guard let connection = try listener.accept(deadline: .after(.seconds(20))) else { return }
                if readFirst { _ = connection.read(maxBytes: 1024, deadline: .after(.seconds(10))) }
                if !reply.isEmpty { try connection.send(reply, deadline: .after(.seconds(10))) }
                switch after {
                case .close: connection.close()
                case .abort: connection.abort()
                case .hold:
                    // Until the client closes its side.
                    while case .data = connection.read(maxBytes: 1024, deadline: .after(.seconds(10))) {}
                    connection.close()
                }
            }
            outcome.withLock { $0 = result }
            finished.signal()
        }
    }

    var endpoint: Endpoint { Endpoint(host: "127.0.0.1", port: listener.address.port) }

    func finish() async throws {
        let done = finished
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                done.wait()
                continuation.resume()
            }
        }
        listener.close()
        try outcome.withLock { $0 }?.get()
    }
}

/// SplitMix64: a seeded generator so failover order is reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A port nothing listens on (bound, then closed).
func closedPort() throws -> Endpoint {
    let listener = try Listener.bind(host: "127.0.0.1", port: 0)
    defer { listener.close() }
    return Endpoint(host: "127.0.0.1", port: listener.address.port)
}

@Suite("Reference client")
struct ReferenceClientTests {
    let bare = ReferenceClient(parameters: ProfileParameters(profile: .bare))

    func exchange(_ client: ReferenceClient, _ endpoint: Endpoint, _ request: [UInt8]? = nil) async -> Result<ExchangeResult, ClientError> {
        await BlockingPool.perform { Result { () throws(ClientError) in try client.exchange(with: endpoint, request: request) } }
    }

    @Test("CLIENT-2: a server that never closes ends the response by quiet time")
    func neverCloses() async throws {
        let server = try ScriptedServer(reply: Array(text: "15"), after: .hold)
        let result = try await exchange(bare, server.endpoint).get()
        try await server.finish()
        #expect(result.endedBy == .quiet)
        #expect(result.response == Array(text: "15"))
        #expect(result.judgement.isStrictlyClean)
        #expect(result.elapsed >= .milliseconds(200))
        #expect(result.elapsed < .seconds(5))
    }

    @Test("CORE-7: a trailing LF is accepted, but strict mode rejects it")
    func trailingLF() async throws {
        let server = try ScriptedServer(reply: Array(text: "15\n"), after: .close)
        let result = try await exchange(bare, server.endpoint).get()
        try await server.finish()
        #expect(result.judgement.isAcceptable)
        #expect(result.judgement.terminator == .lf)
        #expect(result.endedBy == .eof)

        var options = ClientOptions()
        options.strict = true
        let strictServer = try ScriptedServer(reply: Array(text: "15\n"), after: .close)
        let strict = await exchange(ReferenceClient(parameters: ProfileParameters(profile: .bare), options: options), strictServer.endpoint)
        try await strictServer.finish()
        guard case let .failure(error) = strict, case .malformed = error else {
            Issue.record("strict mode accepted a trailing LF: \(strict)")
            return
        }
        #expect(error.description.contains("CORE-6"), "\(error)")
    }

    @Test("CLIENT-3: malformed responses are rejected with the bytes and the rule")
    func malformed() async throws {
        let cases: [([UInt8], String)] = [
            (Array(text: "15\n\n"), #"got "15\n\n" — "#),
            (Array(text: "99"), "outside 10...20"),
            ([], "closed without answering"),
            ([UInt8](repeating: 0x31, count: 2000), "over the 1024-byte cap"),
        ]
        for (reply, fragment) in cases {
            let server = try ScriptedServer(reply: reply, after: .close)
            let outcome = await exchange(bare, server.endpoint)
            try await server.finish()
            guard case let .failure(error) = outcome, case let .malformed(result) = error else {
                Issue.record("accepted \(reply.prefix(20)): \(outcome)")
                continue
            }
            #expect(error.description.contains(fragment), "\(error)")
            #expect(!error.description.contains("\n"))
            if reply.count > 1024 { #expect(result.endedBy == .cap) }
        }
    }

    @Test("a reset before any answer is a failure")
    func resetIsFailure() async throws {
        let server = try ScriptedServer(reply: [], after: .abort, readFirst: true)
        let client = ReferenceClient(parameters: ProfileParameters(profile: .request))
        let outcome = await exchange(client, server.endpoint, Array(text: "hi"))
        try await server.finish()
        guard case let .failure(error) = outcome, case let .failed(_, socketError) = error else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(socketError.kind == .reset)
    }

    @Test("DOUBLE-4: failover across three endpoints, two of them closed")
    func failover() async throws {
        let closedA = try closedPort()
        let closedB = try closedPort()
        try await withServer(ProfileParameters(profile: .double)) { server in
            let endpoints = [closedA, server.endpoint, closedB]
            let client = ReferenceClient(parameters: ProfileParameters(profile: .double))
            let results: [Result<ExchangeResult, ClientError>] = await BlockingPool.perform {
                var generator = SeededGenerator(state: 3)
                return (0..<12).map { index in
                    Result { () throws(ClientError) in
                        try client.exchange(withAnyOf: endpoints, request: Array(String(index).utf8), using: &generator)
                    }
                }
            }
            for (index, result) in results.enumerated() {
                let exchange = try result.get()
                #expect(exchange.endpoint == server.endpoint)
                #expect(exchange.response == Array(String(index * 2).utf8))
            }
            let viaAsync = try await client.exchange(withAnyOf: endpoints, request: Array(text: "50"))
            #expect(viaAsync.response == Array(text: "100"))
        }
        let client = ReferenceClient(parameters: ProfileParameters(profile: .double))
        do {
            _ = try await client.exchange(withAnyOf: [closedA, closedB], request: Array(text: "1"))
            Issue.record("connected to closed ports")
        } catch {
            guard case let .unreachable(errors) = error else {
                Issue.record("expected unreachable, got \(error)")
                return
            }
            #expect(Set(errors.keys) == [closedA, closedB])
            #expect(errors.values.allSatisfy { $0.kind == .refused })
            #expect(error.description.hasPrefix("cannot connect: 127.0.0.1:"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("an unresolvable host is unreachable")
    func unresolvable() async {
        let outcome = await exchange(bare, Endpoint(host: "nohost.invalid", port: 80))
        guard case let .failure(.unreachable(errors)) = outcome else {
            Issue.record("expected unreachable, got \(outcome)")
            return
        }
        #expect(errors.first?.value.kind == .resolution)
    }

    @Test("REQ-2: an empty request gets no answer, which is the right answer")
    func emptyRequest() async throws {
        try await withServer(ProfileParameters(profile: .request)) { server in
            let client = ReferenceClient(parameters: ProfileParameters(profile: .request))
            let result = try await exchange(client, server.endpoint, nil).get()
            #expect(result.response.isEmpty)
            #expect(result.judgement.isStrictlyClean)
            #expect(result.request == [])
        }
    }

    @Test("requests with an LF inside are judged as the server frames them")
    func embeddedLF() async throws {
        try await withServer(ProfileParameters(profile: .double)) { server in
            let client = ReferenceClient(parameters: ProfileParameters(profile: .double))
            let result = try await exchange(client, server.endpoint, Array(text: "4\n5")).get()
            #expect(result.response == Array(text: "8"))
        }
    }
}

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RandWireClient
import RandWireProtocol
import RandWireServer
import RandWireSocket
import RandWireTestSupport
import Synchronization
import Testing

/// Starts a reference server on port 0, runs `body`, and always stops the server.
func withServer<T>(
    _ parameters: ProfileParameters, host: String = "127.0.0.1",
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: (ReferenceServer) async throws -> T
) async throws -> T {
    var configuration = ServerConfiguration(parameters: parameters)
    configuration.host = host
    configure(&configuration)
    let server = try ReferenceServer.start(configuration)
    defer { server.stop() }
    return try await body(server)
}

/// The reference server's default connection timeout: what a server that waited for it would take.
let referenceConnectionTimeout = Duration.milliseconds(Limits.referenceConnectionMilliseconds)

/// The quickest of `count` runs of `exchange`: a claim that something does not wait holds for
/// it even when a loaded machine slows one run, while a server that waits is slow on every one.
func fastest(of count: Int, _ exchange: () async throws -> RawReply) async throws -> RawReply {
    var best = try await exchange()
    for _ in 1..<count {
        let next = try await exchange()
        if next.elapsed < best.elapsed { best = next }
    }
    return best
}

/// What a hand-driven exchange saw.
struct RawReply: Sendable {
    var bytes: [UInt8]
    var end: ReadOutcome
    var elapsed: Duration
}

/// Sends `chunks` (with `gap` between them), optionally half-closes, then reads to EOF,
/// on a pool thread. Send errors are ignored: a server may close early on purpose.
func rawExchange(
    _ endpoint: Endpoint, _ chunks: [[UInt8]], gap: Duration = .zero, halfClose: Bool = false,
    abortAfterSending: Bool = false, timeout: Duration = .seconds(3)
) async throws -> RawReply {
    try await BlockingPool.run {
        let deadline = Deadline.after(timeout)
        let connection = try Connection.connect(to: endpoint, deadline: deadline)
        defer { connection.close() }
        let start = Deadline.now
        for (index, chunk) in chunks.enumerated() {
            if index > 0 && gap > .zero { _ = poll(nil, 0, Int32(Deadline.nanoseconds(of: gap) / 1_000_000)) }
            try? connection.send(chunk, deadline: deadline)
        }
        if abortAfterSending {
            connection.abort()
            return RawReply(bytes: [], end: .reset, elapsed: Deadline.now - start)
        }
        if halfClose { connection.shutdownWrite() }
        var bytes: [UInt8] = []
        while true {
            switch connection.read(maxBytes: 4096, deadline: deadline) {
            case let .data(chunk): bytes += chunk
            case let end: return RawReply(bytes: bytes, end: end, elapsed: Deadline.now - start)
            }
        }
    }
}

/// The judgement of `reply` for a request as the server frames it.
func judge(_ reply: RawReply, request: Request?, _ parameters: ProfileParameters) -> ResponseJudgement {
    ResponseJudge.judge(reply.bytes, request: request, parameters: parameters)
}

/// Collects server log lines.
final class LineCollector: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

func parameters(_ profile: Profile) -> ProfileParameters { ProfileParameters(profile: profile) }

extension Array where Element == UInt8 {
    init(text: String) { self = Array(text.utf8) }
}

/// Whether this machine can bind IPv6 loopback.
let ipv6Available: Bool = {
    guard let listener = try? Listener.bind(host: "::1", port: 0) else { return false }
    listener.close()
    return true
}()

import Foundation
import Synchronization
import RandWireSocket
import Testing

/// A listener on 127.0.0.1 port 0 whose accepted connections are handled by `serve` on a pool
/// thread; `stop` closes it and waits for the handler.
final class OneShotServer: Sendable {
    let listener: Listener
    private let outcome = Mutex<Result<Void, any Error>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    /// Accepts one connection on a dedicated thread, started at once: under a loaded test run
    /// a Task could wait seconds for a cooperative thread, longer than the client's deadline.
    init(host: String = "127.0.0.1", _ serve: @escaping @Sendable (Connection) throws -> Void) throws {
        let listener = try Listener.bind(host: host, port: 0)
        self.listener = listener
        Thread.detachNewThread { [self] in
            let result = Result<Void, any Error> {
                guard let connection = try listener.accept(deadline: .after(.seconds(20))) else { return }
                defer { connection.close() }
                try serve(connection)
            }
            outcome.withLock { $0 = result }
            finished.signal()
        }
    }

    var address: SocketAddress { listener.address }

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

extension Connection {
    /// Reads until EOF (or the deadline), for tests.
    func readAll(deadline: Deadline, limit: Int = 1 << 24) -> (bytes: [UInt8], end: ReadOutcome) {
        var bytes: [UInt8] = []
        while bytes.count < limit {
            switch read(maxBytes: 65536, deadline: deadline) {
            case let .data(chunk): bytes += chunk
            case let other: return (bytes, other)
            }
        }
        return (bytes, .data([]))
    }
}

/// Whether this machine can bind IPv6 loopback; tests that need it are skipped, and say so, when not.
let ipv6Loopback: Bool = {
    guard let listener = try? Listener.bind(host: "::1", port: 0) else { return false }
    listener.close()
    return true
}()

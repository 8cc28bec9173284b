import RandWireSocket
import Testing

/// A listener on 127.0.0.1 port 0 whose accepted connections are handled by `serve` on a pool
/// thread; `stop` closes it and waits for the handler.
final class OneShotServer: Sendable {
    let listener: Listener
    private let done: Task<Void, any Error>

    init(host: String = "127.0.0.1", _ serve: @escaping @Sendable (Connection) throws -> Void) throws {
        let listener = try Listener.bind(host: host, port: 0)
        self.listener = listener
        done = Task {
            try await BlockingPool.run {
                guard let connection = try listener.accept(deadline: .after(.seconds(10))) else { return }
                defer { connection.close() }
                try serve(connection)
            }
        }
    }

    var address: SocketAddress { listener.address }

    func finish() async throws {
        try await done.value
        listener.close()
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

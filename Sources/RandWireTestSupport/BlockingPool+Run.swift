import RandWireSocket

extension BlockingPool {
    /// Runs a throwing body on a pool thread: tests' blocking socket calls, off the concurrency pool.
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await perform { Result { try body() } }.get()
    }
}

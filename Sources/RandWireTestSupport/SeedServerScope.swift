import Foundation

extension SeedPrograms {
    /// Starts a seed server, runs `body`, and stops the server, with the blocking parts (waiting
    /// for `LISTENING`, terminating) on a dedicated thread: a blocked cooperative thread would
    /// stall every other test on a 2-core machine.
    package static func withServer<T: Sendable>(
        _ name: String, arguments: [String] = [], _ body: (SeedServer) async throws -> T
    ) async throws -> T {
        let server = try await offCooperativePool { try startServer(name, arguments: arguments) }
        do {
            let result = try await body(server)
            await offCooperativePool { server.process.terminate() }
            return result
        } catch {
            await offCooperativePool { server.process.terminate() }
            throw error
        }
    }
}

/// Runs blocking work on a fresh thread and resumes the caller with its result.
package func offCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// Runs blocking work on a fresh thread and resumes the caller with its result.
package func offCooperativePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}

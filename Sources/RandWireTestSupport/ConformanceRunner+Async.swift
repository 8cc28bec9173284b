import RandWireConformance
import RandWireSocket

extension ConformanceRunner {
    /// Runs the suite on a dedicated thread, off the Swift concurrency pool, for async tests.
    package static func runAsync(_ configuration: RunConfiguration) async -> RunReport {
        await withCheckedContinuation { continuation in
            _ = FanOut.start(name: "randwire-check") {
                let report = ConformanceRunner(configuration: configuration).run()
                continuation.resume(returning: report)
                return true
            }
        }
    }
}

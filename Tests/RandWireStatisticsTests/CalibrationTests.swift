import Foundation
import Testing
@testable import RandWireStatistics

/// False-failure calibration: a correct (seeded xoshiro256**) server, sampled at the runner's
/// default n, must never fail, and be ambiguous about once per thousand tests.
@Suite struct CalibrationTests {
    static let replications = 2_000

    struct Tally: Sendable {
        var runs: [String: Int] = [:]
        var fails: [String: Int] = [:]
        var ambiguous: [String: Int] = [:]
        var smallestP: [String: Double] = [:]
        var generation = Duration.zero
        var testing = Duration.zero
    }

    static func tally(_ scenario: Scenario) -> Tally {
        let n = scenario.sampleCount
        let clock = ContinuousClock()
        var tally = Tally()
        for replication in 0..<replications {
            let start = clock.now
            let values = uniformSample(n, scenario.min, scenario.max, seed: 0xC0FFEE &+ UInt64(replication) &* 7919)
            let generated = clock.now
            let results = scenario.runAll(values)
            tally.generation += generated - start
            tally.testing += clock.now - generated
            for result in results {
                tally.runs[result.test, default: 0] += 1
                tally.smallestP[result.test] = min(tally.smallestP[result.test] ?? 1, result.pValue)
                switch result.verdict {
                case .fail: tally.fails[result.test, default: 0] += 1
                case .ambiguous: tally.ambiguous[result.test, default: 0] += 1
                case .pass: break
                }
            }
        }
        return tally
    }

    @Test(arguments: [Scenario.bare, Scenario.request, Scenario.csv])
    func correctServerNeverFails(_ scenario: Scenario) async {
        let n = scenario.sampleCount
        // Seconds of arithmetic: on a dedicated thread, so the 2-thread cooperative pool stays
        // free for the socket tests running alongside.
        let tally = await offPool { Self.tally(scenario) }
        print("calibration: \(scenario) n=\(n): generating \(tally.generation), testing \(tally.testing)")
        for test in tally.runs.keys.sorted() {
            let line = "\(scenario) n=\(n) \(test): runs \(tally.runs[test]!), fails \(tally.fails[test] ?? 0), ambiguous \(tally.ambiguous[test] ?? 0), smallest p \(Format.p(tally.smallestP[test]!))"
            print("calibration: " + line)
            #expect((tally.fails[test] ?? 0) == 0, "\(line)")
            // Binomial(2000, 1e-3) exceeds 10 with probability 8e-5.
            #expect((tally.ambiguous[test] ?? 0) <= 10, "\(line)")
        }
        // Every test ran in every replication (endpoints included: decidable at these n).
        #expect(tally.runs.count == (scenario.batchSize > 1 ? 9 : 5))
        #expect(tally.runs.values.allSatisfy { $0 == Self.replications })
    }
}

/// Runs CPU-heavy work on its own thread instead of a cooperative-pool thread.
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}

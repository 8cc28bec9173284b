import Testing
@testable import RandWireStatistics

/// False-failure calibration: a correct (seeded xoshiro256**) server, sampled at the runner's
/// default n, must never fail, and be ambiguous about once per thousand tests.
@Suite struct CalibrationTests {
    static let replications = 2_000

    @Test(arguments: [Scenario.bare, Scenario.request, Scenario.csv])
    func correctServerNeverFails(_ scenario: Scenario) {
        let n = scenario.sampleCount
        let clock = ContinuousClock()
        var generation = Duration.zero
        var testing = Duration.zero
        var fails: [String: Int] = [:]
        var ambiguous: [String: Int] = [:]
        var runs: [String: Int] = [:]
        var smallestP: [String: Double] = [:]
        for replication in 0..<Self.replications {
            let start = clock.now
            let values = uniformSample(n, scenario.min, scenario.max, seed: 0xC0FFEE &+ UInt64(replication) &* 7919)
            let generated = clock.now
            let results = scenario.runAll(values)
            generation += generated - start
            testing += clock.now - generated
            for result in results {
                runs[result.test, default: 0] += 1
                smallestP[result.test] = min(smallestP[result.test] ?? 1, result.pValue)
                switch result.verdict {
                case .fail: fails[result.test, default: 0] += 1
                case .ambiguous: ambiguous[result.test, default: 0] += 1
                case .pass: break
                }
            }
        }
        print("calibration: \(scenario) n=\(n): generating \(generation), testing \(testing)")
        for test in runs.keys.sorted() {
            let line = "\(scenario) n=\(n) \(test): runs \(runs[test]!), fails \(fails[test] ?? 0), ambiguous \(ambiguous[test] ?? 0), smallest p \(Format.p(smallestP[test]!))"
            print("calibration: " + line)
            #expect((fails[test] ?? 0) == 0, "\(line)")
            // Binomial(2000, 1e-3) exceeds 10 with probability 8e-5.
            #expect((ambiguous[test] ?? 0) <= 10, "\(line)")
        }
        // Every test ran in every replication (endpoints included: decidable at these n).
        #expect(runs.count == (scenario.batchSize > 1 ? 9 : 5))
        #expect(runs.values.allSatisfy { $0 == Self.replications })
    }
}

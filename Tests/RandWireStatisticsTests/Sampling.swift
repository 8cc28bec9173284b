@testable import RandWireStatistics

/// A server profile the tests sample: range, batch size, and the runner's default n.
struct Scenario: Sendable, CustomStringConvertible {
    let name: String
    let min: Int
    let max: Int
    let batchSize: Int

    static let bare = Scenario(name: "bare 10..20", min: 10, max: 20, batchSize: 1)
    static let request = Scenario(name: "request 1..10000", min: 1, max: 10_000, batchSize: 1)
    static let csv = Scenario(name: "csv 10 x 1..100", min: 1, max: 100, batchSize: 10)

    var description: String { name }
    var sampleCount: Int { SampleSizing.recommendedSampleCount(min: min, max: max, batchSize: batchSize) }

    /// Every test that applies to this profile, on one sample.
    func runAll(_ values: [Int]) -> [StatResult] {
        var results = [
            RandomnessTests.uniformity(values, min: min, max: max),
            RandomnessTests.serialCorrelation(values),
            RandomnessTests.adjacentRepeats(values, min: min, max: max),
            RandomnessTests.longestRun(values, min: min, max: max),
        ]
        if let endpoints = RandomnessTests.endpoints(values, min: min, max: max) { results.append(endpoints) }
        if batchSize > 1 {
            let split = batches(values, size: batchSize)
            results += [
                RandomnessTests.batchDuplicates(split, min: min, max: max),
                RandomnessTests.batchSorted(split, min: min, max: max),
                RandomnessTests.positionExchangeability(split, min: min, max: max),
                RandomnessTests.identicalBatches(split, min: min, max: max),
            ]
        }
        return results
    }
}

func uniformSample(_ count: Int, _ min: Int, _ max: Int, seed: UInt64) -> [Int] {
    // A plain loop: a closure capturing the generator inout is 3x slower in debug builds.
    var generator = SeededGenerator(seed: seed)
    var values: [Int] = []
    values.reserveCapacity(count)
    for _ in 0..<count { values.append(Int.random(in: min...max, using: &generator)) }
    return values
}

func batches(_ values: [Int], size: Int) -> [[Int]] { chunks(values, sizes: [size]) }

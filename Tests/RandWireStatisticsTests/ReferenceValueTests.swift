import Testing
@testable import RandWireStatistics

/// Every randomness test on fixed inputs, its statistic, degrees of freedom and p-value pinned
/// to values computed without this code: `reference_values.py` (standard-library Python, exact
/// rationals and 80-digit decimals) re-implements each statistic from its definition and each
/// tail by a different method; its printed output is pasted here. Several are also checkable by
/// hand (noted). A chi-square with one degree of freedom too many, a wrong bin, a one-sided
/// p-value or an off-by-one count moves these values by far more than the tolerance.
///
/// Tolerances: 1e-12 relative for the statistics (a sum of a few hundred doubles); 1e-9
/// relative for p-values whose computation the code documents as exact up to rounding (the
/// binomial, Poisson-binomial, run and occupancy chains, the endpoint formula, erfc) or good to
/// about 1e-12 (the incomplete gamma). The p-values that rest on an approximation (the
/// chi-square and normal tails as models of a count statistic) are pinned to the approximation
/// the code claims to compute, not to the exact law of the statistic; the calibration tests
/// check that approximation against data.
@Suite struct ReferenceValueTests {
    /// Checks one result against the reference; `df` also pins the name "chi-square (df n)".
    static func expectPinned(
        _ result: StatResult?, n: Int, statistic: Double, df: Int? = nil, p: Double,
        failThreshold: Double = Thresholds.fail, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let result else {
            Issue.record("no result", sourceLocation: sourceLocation)
            return
        }
        let context = Comment(rawValue: result.summary)
        #expect(result.n == n, context, sourceLocation: sourceLocation)
        #expect(close(result.statistic, statistic, relative: 1e-12), "statistic \(result.statistic), want \(statistic)", sourceLocation: sourceLocation)
        if let df {
            #expect(result.statisticName == "chi-square (df \(df))", context, sourceLocation: sourceLocation)
        }
        #expect(close(result.pValue, p, relative: 1e-9), "p \(result.pValue), want \(p)", sourceLocation: sourceLocation)
        #expect(result.failThreshold == failThreshold, context, sourceLocation: sourceLocation)
        #expect(result.verdict == StatResult.verdict(pValue: p, failThreshold: failThreshold), context, sourceLocation: sourceLocation)
    }

    @Test func uniformity() {
        // 11 bins of 20 expected (below 50, so the stricter fail level), df 10.
        Self.expectPinned(
            RandomnessTests.uniformity(referenceSequence(seed: 1, count: 220, 10, 20), min: 10, max: 20),
            n: 220, statistic: 15.1, df: 10, p: 0.12845834792258809, failThreshold: Thresholds.failWithSmallCells
        )
        // By hand: chi-square 2·7²/15 = 98/15, p = erfc(√(49/15)); with df 2 it would be e^(-49/15) = 0.038.
        Self.expectPinned(
            RandomnessTests.uniformity([Int](repeating: 0, count: 22) + [Int](repeating: 1, count: 8) + [5, -1], min: 0, max: 1),
            n: 30, statistic: 6.5333333333333332, df: 1, p: 0.01058713733405694, failThreshold: Thresholds.failWithSmallCells
        )
        // By hand: (0 + 100 + 100)/20 = 10, p = e^-5; with df 3 it would be 0.019.
        Self.expectPinned(
            RandomnessTests.uniformity([Int](repeating: 1, count: 20) + [Int](repeating: 2, count: 10) + [Int](repeating: 3, count: 30), min: 1, max: 3),
            n: 60, statistic: 10, df: 2, p: 0.006737946999085467, failThreshold: Thresholds.failWithSmallCells
        )
        // K = 100, n = 300: 10 bins of 10 values, df 9.
        Self.expectPinned(
            RandomnessTests.uniformity(referenceSequence(seed: 3, count: 300, 1, 100), min: 1, max: 100),
            n: 300, statistic: 9.2666666666666675, df: 9, p: 0.41303168377928962, failThreshold: Thresholds.failWithSmallCells
        )
        // K = 25, n = 100: 10 bins of 2 or 3 values with their exact probabilities; out-of-range values ignored.
        Self.expectPinned(
            RandomnessTests.uniformity(referenceSequence(seed: 4, count: 100, 1, 25) + [0, 26, 1000], min: 1, max: 25),
            n: 100, statistic: 5.291666666666667, df: 9, p: 0.80817788869441676, failThreshold: Thresholds.failWithSmallCells
        )
    }

    @Test func endpoints() {
        // 20 never drawn: p = 2(10/11)^200 - (9/11)^200.
        Self.expectPinned(
            RandomnessTests.endpoints(referenceSequence(seed: 5, count: 200, 10, 19), min: 10, max: 20),
            n: 200, statistic: 1, p: 1.0531566244874143e-08
        )
        Self.expectPinned(
            RandomnessTests.endpoints(referenceSequence(seed: 6, count: 200, 10, 20), min: 10, max: 20),
            n: 200, statistic: 0, p: 1
        )
        // Both 1% tails (100 values each) never drawn: p = 0.98^2000.
        Self.expectPinned(
            RandomnessTests.endpoints(referenceSequence(seed: 7, count: 2_000, 101, 9_900), min: 1, max: 10_000),
            n: 2_000, statistic: 2, p: 2.8323791254544579e-18
        )
        // 2(10/11)^100 = 1.5e-4 > 1e-6, and the 1% tail of 11 values is one value: undecidable.
        #expect(RandomnessTests.endpoints(referenceSequence(seed: 6, count: 100, 10, 20), min: 10, max: 20) == nil)
    }

    @Test func serialCorrelation() {
        Self.expectPinned(
            RandomnessTests.serialCorrelation(referenceSequence(seed: 8, count: 50, 1, 100)),
            n: 50, statistic: 0.26523130849922655, p: 0.79083127762245342
        )
        var walk = [50]
        for step in referenceSequence(seed: 9, count: 39, -3, 3) { walk.append(walk.last! + step) }
        Self.expectPinned(RandomnessTests.serialCorrelation(walk), n: 40, statistic: 5.6402402785700012, p: 1.6981303022507517e-08)
        // By hand: r = -29·16/(30·16), z = r√30; two-sided, so the sign does not matter.
        Self.expectPinned(
            RandomnessTests.serialCorrelation([Int]((0..<15).map { _ in [1, 9] }.joined())),
            n: 30, statistic: -5.2946513892166056, p: 1.1924366854416813e-07
        )
    }

    @Test func adjacentRepeats() {
        Self.expectPinned(
            RandomnessTests.adjacentRepeats(referenceSequence(seed: 10, count: 200, 10, 20), min: 10, max: 20),
            n: 200, statistic: 19, p: 0.89321585085443256
        )
        // By hand: no repeat in 299 pairs, p = 2·(10/11)^299.
        Self.expectPinned(
            RandomnessTests.adjacentRepeats((0..<300).map { 10 + $0 % 11 }, min: 10, max: 20),
            n: 300, statistic: 0, p: 8.4065370883203618e-13
        )
        Self.expectPinned(
            RandomnessTests.adjacentRepeats((0..<200).map { 10 + ($0 / 2) % 11 }, min: 10, max: 20),
            n: 200, statistic: 100, p: 5.813519023205239e-50
        )
    }

    @Test func longestRun() {
        Self.expectPinned(
            RandomnessTests.longestRun(referenceSequence(seed: 11, count: 200, 10, 20), min: 10, max: 20),
            n: 200, statistic: 4, p: 0.1262335312347157
        )
        var forced = referenceSequence(seed: 12, count: 100, 1, 3)
        forced.replaceSubrange(50..<56, with: repeatElement(2, count: 6))
        Self.expectPinned(RandomnessTests.longestRun(forced, min: 1, max: 3), n: 100, statistic: 7, p: 0.083250071225285799)
        var three = referenceSequence(seed: 13, count: 500, 1, 10_000)
        three.replaceSubrange(100..<103, with: repeatElement(7, count: 3))
        Self.expectPinned(RandomnessTests.longestRun(three, min: 1, max: 10_000), n: 500, statistic: 3, p: 4.9794907264700922e-06)
        // Below 1e-10 the code returns the union bound q^4 (1 + 495 (1 - q)) = 4.959505e-14;
        // the exact tail is 4.9595049999998794e-14, so the bound is tight here.
        var five = referenceSequence(seed: 13, count: 500, 1, 10_000)
        five.replaceSubrange(100..<105, with: repeatElement(7, count: 5))
        Self.expectPinned(RandomnessTests.longestRun(five, min: 1, max: 10_000), n: 500, statistic: 5, p: 4.959505e-14)
    }

    @Test func batchDuplicates() {
        Self.expectPinned(
            RandomnessTests.batchDuplicates(chunks(referenceSequence(seed: 14, count: 300, 1, 100), sizes: [10]), min: 1, max: 100),
            n: 30, statistic: 9, p: 0.53918730117767244
        )
        // Mixed sizes (Poisson binomial); sizes 1 and 60 (> K) carry no information and are skipped.
        Self.expectPinned(
            RandomnessTests.batchDuplicates(chunks(referenceSequence(seed: 15, count: 400, 1, 50), sizes: [5, 10, 1, 20, 60]), min: 1, max: 50),
            n: 14, statistic: 6, p: 0.28889064537414622
        )
        // No duplicates in 50 batches: p = 2·Π_{i<10}(1 - i/100)^50.
        let dealt = (0..<50).map { i in (0..<10).map { j in (i * 7 + j * 13) % 100 + 1 } }
        Self.expectPinned(RandomnessTests.batchDuplicates(dealt, min: 1, max: 100), n: 50, statistic: 0, p: 1.6011175980061792e-10)
    }

    @Test func batchSorted() {
        var sorted = chunks(referenceSequence(seed: 16, count: 3_000, 1, 100), sizes: [10])
        sorted[3].sort()
        sorted[7].sort(by: >)
        Self.expectPinned(RandomnessTests.batchSorted(sorted, min: 1, max: 100), n: 300, statistic: 2, p: 3.2603589333561803e-08)
        // Sizes 3 and 4 from 1...4 (Poisson binomial); batches of 2 are skipped.
        Self.expectPinned(
            RandomnessTests.batchSorted(chunks(referenceSequence(seed: 18, count: 150, 1, 4), sizes: [3, 2, 4]), min: 1, max: 4),
            n: 33, statistic: 11, p: 0.88307008203091131
        )
    }

    @Test func positionExchangeability() {
        // 500 batches of 12 from 1...10: 10 bins expecting 50 per position, df 11·9 = 99.
        Self.expectPinned(
            RandomnessTests.positionExchangeability(chunks(referenceSequence(seed: 19, count: 6_000, 1, 10), sizes: [12]), min: 1, max: 10),
            n: 500, statistic: 95.260929802312774, df: 99, p: 0.58768496739106812
        )
        // 30 batches (the first 3 draws of each), 3 bins, out-of-range draws in the edge bins, df 2·2.
        Self.expectPinned(
            RandomnessTests.positionExchangeability(chunks(referenceSequence(seed: 20, count: 100, 0, 7), sizes: [3, 3, 4]) + [[]], min: 1, max: 6),
            n: 30, statistic: 0.38531623175586022, df: 4, p: 0.9836613585710976, failThreshold: Thresholds.failWithSmallCells
        )
        // 4 bins, the last never drawn, so 3 columns: df 1·2.
        Self.expectPinned(
            RandomnessTests.positionExchangeability(chunks(referenceSequence(seed: 21, count: 80, 1, 4), sizes: [2]), min: 1, max: 6),
            n: 40, statistic: 0.62242562929061784, df: 2, p: 0.73255796021688202, failThreshold: Thresholds.failWithSmallCells
        )
    }

    @Test func identicalBatches() {
        // One replay among 300 batches from N = 1e20: p = 1 - Π_{i<300}(1 - i/N).
        var replayed = chunks(referenceSequence(seed: 22, count: 3_000, 1, 100), sizes: [10])
        replayed[200] = replayed[17]
        Self.expectPinned(RandomnessTests.identicalBatches(replayed, min: 1, max: 100), n: 300, statistic: 1, p: 4.4849999999999989e-16)
        Self.expectPinned(
            RandomnessTests.identicalBatches(chunks(referenceSequence(seed: 23, count: 30, 0, 1), sizes: [3]), min: 0, max: 1),
            n: 10, statistic: 5, p: 0.32244986295700073
        )
        // Sizes 2 and 3 (N = 4 and 8) counted apart and convolved; the empty batch is dropped.
        Self.expectPinned(
            RandomnessTests.identicalBatches(chunks(referenceSequence(seed: 24, count: 30, 0, 1), sizes: [2, 3]) + [[]], min: 0, max: 1),
            n: 12, statistic: 4, p: 0.7837066650390625
        )
    }
}

/// The 64-bit LCG of `reference_values.py` (Knuth's MMIX constants), top 31 bits reduced
/// modulo the range size: the same inputs there and here, bit for bit.
func referenceSequence(seed: UInt64, count: Int, _ min: Int, _ max: Int) -> [Int] {
    var state = seed
    var values: [Int] = []
    for _ in 0..<count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        values.append(min + Int((state >> 33) % UInt64(max - min + 1)))
    }
    return values
}

/// Consecutive batches whose sizes cycle through `sizes` (the last one may be short).
func chunks(_ values: [Int], sizes: [Int]) -> [[Int]] {
    var result: [[Int]] = []
    var start = 0
    while start < values.count {
        let end = Swift.min(values.count, start + sizes[result.count % sizes.count])
        result.append(Array(values[start..<end]))
        start = end
    }
    return result
}

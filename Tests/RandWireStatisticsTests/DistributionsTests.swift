import Testing
@testable import RandWireStatistics

/// Relative closeness, for tail probabilities spanning hundreds of orders of magnitude.
func close(_ actual: Double, _ expected: Double, relative: Double) -> Bool {
    if expected == 0 { return actual == 0 }
    return abs(actual - expected) <= relative * abs(expected)
}

@Suite struct DistributionsTests {
    // Reference values: reference_values.py (closed forms for integer and half-integer shape in
    // 60-digit decimals, not the series / continued fraction used here). Table checks: the 5%
    // points 3.841 (df 1) and 16.919 (df 9); df 2 is e^(-x/2) by hand. The code claims about
    // 1e-12 relative; 1e-9 leaves room for libm, and df ± 1 moves every row by far more.
    @Test(arguments: [
        (1, 0.5, 0.47950012218695348),
        (1, 3.841458820694124, 0.050000000000000058),
        (1, 6.533333333333333, 0.01058713733405694),
        (1, 30.0, 4.3204630578274975e-08),
        (1, 200.0, 2.0884875837625449e-45),
        (2, 1.0, 0.60653065971263342),
        (2, 10.0, 0.006737946999085467),
        (9, 9.0, 0.43727418891386705),
        (9, 16.918977604620448, 0.050000000000000031),
        (9, 40.0, 7.5985252294642758e-06),
        (10, 10.0, 0.4404932850652124),
        (10, 46.9, 9.8465001743000255e-07),
        (10, 1000.0, 1.8702907209159498e-208),
        (10, 1400.0, 9.9203914798001447e-295),
        (36, 45.0, 0.1444739992980893),
        (45, 105.2, 9.9943603860932965e-07),
        (99, 99.0, 0.48109691240826391),
        (99, 180.8, 9.9810470057482316e-07),
        (99, 1500.0, 6.4669843672284277e-249),
        (200, 150.0, 0.99664755850181297),
    ])
    func chiSquareUpperTail(df: Int, x: Double, expected: Double) {
        let actual = Distributions.chiSquareUpperTail(x, degreesOfFreedom: df)
        #expect(close(actual, expected, relative: 1e-9), "Q(\(df)/2, \(x)/2) = \(actual), want \(expected)")
    }

    @Test func chiSquareUnderflowsToZeroNotNaN() {
        let p = Distributions.chiSquareUpperTail(3000, degreesOfFreedom: 2)  // 3.6e-652
        #expect(p == 0)
        #expect(Distributions.chiSquareUpperTail(0, degreesOfFreedom: 5) == 1)
    }

    @Test(arguments: [(10, 46.863046846784385), (19, 63.677052285677995), (49, 111.13590530067539), (99, 180.79201532589974)])
    func chiSquareCriticalValues(df: Int, expected: Double) {
        let critical = Distributions.chiSquareCritical(1e-6, degreesOfFreedom: df)
        #expect(abs(critical - expected) < 1e-6, "df \(df): \(critical)")
    }

    // erfc(|z|/√2) in 80-digit decimals (reference_values.py); 1.96 is the 5% table point.
    @Test(arguments: [
        (0.5, 0.61707507745197376),
        (1.959963984540054, 0.050000000000000024),
        (4.89, 1.0083597767150719e-06),
        (8.0, 1.2441921148543568e-15),
        (30.0, 9.8134278542963744e-198),
    ])
    func normal(z: Double, expected: Double) {
        #expect(close(Distributions.normalTwoSided(z), expected, relative: 1e-9))
        #expect(close(Distributions.normalTwoSided(-z), expected, relative: 1e-9))
    }

    @Test func normalEdges() {
        #expect(Distributions.normalTwoSided(0) == 1)
        #expect(abs(Distributions.normalTwoSidedCritical(1e-6) - 4.891638) < 1e-5)
    }

    // Exact rational sums of C(n, j) p^j (1-p)^(n-j) (reference_values.py).
    @Test(arguments: [
        (247, 1999, 1.0 / 11, 7.3754553977356517e-07),
        (45, 1999, 0.01, 8.9484330077279458e-07),
        (6, 1999, 1e-4, 7.4169051918415835e-08),
        (1000, 1000, 0.5, 9.3326361850321888e-302),
        (181, 1999, 1.0 / 11, 0.53384892435419029),
    ])
    func binomialUpper(k: Int, n: Int, p: Double, expected: Double) {
        let actual = Distributions.binomialUpperTail(k, n: n, p: p)
        #expect(close(actual, expected, relative: 1e-9), "P(X ≥ \(k)) = \(actual), want \(expected)")
    }

    @Test(arguments: [
        (0, 50, 0.372, 7.9064619797597435e-11),
        (10, 1000, 0.5, 2.4833387914896352e-278),
        (180, 1999, 1.0 / 11, 0.46615107564580976),
    ])
    func binomialLower(k: Int, n: Int, p: Double, expected: Double) {
        let actual = Distributions.binomialLowerTail(k, n: n, p: p)
        #expect(close(actual, expected, relative: 1e-9), "P(X ≤ \(k)) = \(actual), want \(expected)")
    }

    @Test func binomialEdges() {
        #expect(Distributions.binomialUpperTail(0, n: 10, p: 0.3) == 1)
        #expect(Distributions.binomialUpperTail(11, n: 10, p: 0.3) == 0)
        #expect(Distributions.binomialLowerTail(-1, n: 10, p: 0.3) == 0)
        #expect(Distributions.binomialLowerTail(10, n: 10, p: 0.3) == 1)
        #expect(Distributions.binomialUpperTail(1, n: 10, p: 0) == 0)
        #expect(Distributions.binomialLowerTail(9, n: 10, p: 1) == 0)
        // The two tails of the same split add to one.
        for k in 0...30 {
            let sum = Distributions.binomialLowerTail(k - 1, n: 30, p: 0.37) + Distributions.binomialUpperTail(k, n: 30, p: 0.37)
            #expect(abs(sum - 1) < 1e-12)
        }
    }

    @Test(arguments: [0, 5, 22, 40, 60])
    func poissonBinomialMatchesBinomial(k: Int) {
        let probabilities = [Double](repeating: 0.372, count: 60)
        let upper = Distributions.poissonBinomialUpperTail(k, probabilities: probabilities)
        #expect(close(upper, Distributions.binomialUpperTail(k, n: 60, p: 0.372), relative: 1e-9))
        let lower = Distributions.poissonBinomialLowerTail(k, probabilities: probabilities)
        #expect(close(lower, Distributions.binomialLowerTail(k, n: 60, p: 0.372), relative: 1e-9))
    }

    @Test func batchProbabilities() {
        // scipy: comb(109, 10) / 100**10 = 4.263421511271e-07; Π(1 - i/100) = 0.6281565095552945.
        #expect(close(RandomnessTests.sortedProbability(size: 10, rangeSize: 100), 2 * 4.263421511271e-07 - 1e-18, relative: 1e-9))
        #expect(close(RandomnessTests.duplicateProbability(size: 10, rangeSize: 100), 1 - 0.6281565095552945, relative: 1e-12))
        #expect(RandomnessTests.sortedProbability(size: 2, rangeSize: 100) == 1)
        #expect(RandomnessTests.duplicateProbability(size: 101, rangeSize: 100) == 1)
        // Brute force over all 4^3 batches of 3 draws from 4 values.
        var sorted = 0
        for a in 0..<4 { for b in 0..<4 { for c in 0..<4 where (a <= b && b <= c) || (a >= b && b >= c) { sorted += 1 } } }
        #expect(close(RandomnessTests.sortedProbability(size: 3, rangeSize: 4), Double(sorted) / 64, relative: 1e-12))
    }

    @Test func longestRunTailMatchesEnumeration() {
        // All 3^8 sequences: P(longest run ≥ L).
        let k = 3, n = 8
        var atLeast = [Int](repeating: 0, count: n + 2)
        for code in 0..<6561 {
            var x = code
            var previous = -1, current = 0, longest = 0
            for _ in 0..<n {
                let value = x % k
                x /= k
                current = value == previous ? current + 1 : 1
                previous = value
                longest = max(longest, current)
            }
            for length in 1...longest { atLeast[length] += 1 }
        }
        for length in 1...n {
            let exact = Double(atLeast[length]) / 6561
            #expect(close(RandomnessTests.longestRunTail(length, n: n, rangeSize: k), exact, relative: 1e-12), "L = \(length)")
            #expect(RandomnessTests.longestRunBound(length, n: n, rangeSize: k) >= exact - 1e-15)
        }
    }

    @Test func repeatDistributionMatchesEnumeration() {
        // 5 batches from N = 4 possible batches, all 4^5 outcomes.
        var counts = [Int](repeating: 0, count: 5)
        for code in 0..<1024 {
            var x = code
            var seen = Set<Int>()
            var repeats = 0
            for _ in 0..<5 {
                if !seen.insert(x % 4).inserted { repeats += 1 }
                x /= 4
            }
            counts[repeats] += 1
        }
        let distribution = RandomnessTests.repeatDistribution(batches: 5, outcomes: 4, cap: 4)
        for r in 0..<4 { #expect(close(distribution[r], Double(counts[r]) / 1024, relative: 1e-12)) }
        #expect(close(distribution[4], Double(counts[4]) / 1024, relative: 1e-12))
        let capped = RandomnessTests.repeatDistribution(batches: 5, outcomes: 4, cap: 2)
        #expect(close(capped[2], Double(counts[2] + counts[3] + counts[4]) / 1024, relative: 1e-12))
    }

    @Test func seededGeneratorIsReproducible() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
    }

    @Test func formatting() {
        #expect(Format.p(0.6134) == "0.61")
        #expect(Format.p(3.14e-12) == "3.1e-12")
        #expect(Format.p(0) == "< 1e-300")
        #expect(Format.number(8.234) == "8.23")
        #expect(Format.number(1500) == "1500")
        #expect(Format.number(9.99e-7, 2) == "1.0e-6")
    }

    @Test(arguments: [(1, 10_000, 10), (10, 20, 5), (1, 100, 6), (-7, 30, 9)])
    func binningIsExactAndContiguous(lo: Int, hi: Int, count: Int) {
        let binning = Binning(min: lo, max: hi, count: count)
        var previous = 0
        var sizes = [Int](repeating: 0, count: count)
        for value in lo...hi {
            let bin = binning.bin(of: value)
            #expect(bin == previous || bin == previous + 1)
            previous = bin
            sizes[bin] += 1
        }
        for j in 0..<count { #expect(sizes[j] == binning.size(j)) }
        #expect(sizes.max()! - sizes.min()! <= 1)
    }

    @Test func sampleSizes() {
        #expect(SampleSizing.recommendedSampleCount(min: 10, max: 20, batchSize: 1) == 1_000)
        #expect(SampleSizing.recommendedSampleCount(min: 1, max: 10_000, batchSize: 1) == 5_000)
        #expect(SampleSizing.recommendedSampleCount(min: 1, max: 100, batchSize: 10) == 3_000)
    }

    @Test("sample sizes are whole batches within the cap", arguments: [(1, 20, 1), (1, 2, 1), (1, 100, 100), (1, 1_000_000, 7), (5, 5, 1)])
    func sampleSizeBounds(lo: Int, hi: Int, m: Int) {
        let n = SampleSizing.recommendedSampleCount(min: lo, max: hi, batchSize: m)
        #expect(n % m == 0)
        #expect(n <= (hi - lo + 1 <= 100 ? 3_000 : 5_000))
    }
}

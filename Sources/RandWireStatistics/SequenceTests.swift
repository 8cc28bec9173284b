// libm (FoundationEssentials has no math): the statistics make no system calls.
import CRandWireMath

extension RandomnessTests {
    /// Lag-1 serial correlation r of consecutive values in arrival order; z = r·√n, two-sided
    /// normal p-value. Catches generators whose next value depends on the last (a counter, an
    /// LCG low bit, a value derived from the previous one).
    ///
    /// False failure: ≤ 1e-6 up to the normal approximation of r·√n, which is very good here
    /// (bounded summands, excess kurtosis O(1/n)). Power (90%, at 1e-6, |z| > 4.89):
    /// |r| ≥ 6.17/√n, i.e. 0.195 at n = 1,000 and 0.087 at n = 5,000.
    package static func serialCorrelation(_ values: [Int]) -> StatResult {
        let name = "serial-correlation"
        let n = values.count
        guard n >= 3 else {
            return .undecidable(test: name, n: n, statisticName: "z", reason: "fewer than 3 values")
        }
        var mean = 0.0
        for v in values { mean += Double(v) }
        mean /= Double(n)
        var sumSquares = 0.0
        var sumProducts = 0.0
        var previous = Double(values[0]) - mean
        sumSquares += previous * previous
        for v in values.dropFirst() {
            let current = Double(v) - mean
            sumSquares += current * current
            sumProducts += previous * current
            previous = current
        }
        guard sumSquares > 0 else {
            return .undecidable(test: name, n: n, statisticName: "z", reason: "all values are equal, so correlation is undefined")
        }
        let r = sumProducts / sumSquares
        let z = r * Double(n).squareRoot()
        let p = Distributions.normalTwoSided(z)
        let zCritical = Distributions.normalTwoSidedCritical(Thresholds.fail)
        let detectableR = (zCritical + Power.zPower) / Double(n).squareRoot()
        return .judged(
            test: name, n: n, statistic: z, statisticName: "z", pValue: p,
            detectable: "a lag-1 correlation |r| ≥ \(Format.number(detectableR, 2))",
            numbers: "lag-1 r = \(Format.number(r, 3)), z = \(Format.number(z, 3))",
            onPass: "no evidence of dependence on the previous value at this power",
            onFail: "each value depends on the previous one (\(r > 0 ? "positive" : "negative") correlation)"
        )
    }

    /// Number of adjacent equal pairs x[i] == x[i+1]. For independent uniform draws the pair
    /// differences (mod K) are independent and uniform, so the count is exactly
    /// Binomial(n-1, 1/K). Two-sided (p = 2·min tail): too many repeats is a generator reseeded
    /// from the clock (`srand(time(0))` per connection repeats one value for a second); too
    /// few is a generator that redraws to avoid repeating the last value.
    ///
    /// False failure: ≤ 1e-6 exactly (binomial tails). Power (90%, at 1e-6): K = 11, n = 1,000:
    /// a repeat rate 1.7x the expected 1/11 (139+ repeats where 91 are expected); K = 100,
    /// n = 3,000: 2.4x; K = 10,000, n = 5,000: 8+ repeats where 0.5 are expected. A server that
    /// never repeats the last value fails for K = 11 from n = 154. A clock-reseeded server
    /// in a burst repeats nearly every value and fails at any n.
    package static func adjacentRepeats(_ values: [Int], min: Int, max: Int) -> StatResult {
        let name = "adjacent-repeats"
        let n = values.count
        guard max > min else {
            return .undecidable(test: name, n: n, statisticName: "count", reason: "the range has one value")
        }
        guard n >= 2 else {
            return .undecidable(test: name, n: n, statisticName: "count", reason: "fewer than 2 values")
        }
        let k = max - min + 1
        let q = 1 / Double(k)
        let pairs = n - 1
        var repeats = 0
        for i in 1..<n where values[i] == values[i - 1] { repeats += 1 }
        let upper = Distributions.binomialUpperTail(repeats, n: pairs, p: q)
        let lower = Distributions.binomialLowerTail(repeats, n: pairs, p: q)
        let p = Swift.min(1, 2 * Swift.min(upper, lower))
        let expected = Double(pairs) * q
        // The smallest count that fails, then the repeat rate that reaches it 90% of the time.
        let sd = (expected * (1 - q)).squareRoot()
        var critical = Swift.max(0, Int(expected + 4 * sd))
        while critical <= pairs && 2 * Distributions.binomialUpperTail(critical, n: pairs, p: q) >= Thresholds.fail {
            critical += 1
        }
        var detectable = "no excess of repeats is detectable at this n"
        if critical <= pairs {
            var low = q
            var high = 1.0
            for _ in 0..<60 {
                let rate = (low + high) / 2
                let mean = Double(pairs) * rate
                let enough = mean - Power.zPower * (mean * (1 - rate)).squareRoot() >= Double(critical) - 0.5
                if enough { high = rate } else { low = rate }
            }
            detectable = "adjacent values equal \(Format.percent(high)) of the time (\(Format.number(high / q, 2))x the expected \(Format.percent(q))), i.e. \(critical)+ repeats"
        }
        let direction = Double(repeats) > expected ? "too many" : "too few"
        return .judged(
            test: name, n: n, statistic: Double(repeats), statisticName: "count", pValue: p,
            detectable: detectable,
            numbers: "\(repeats) adjacent repeats (expected \(Format.number(expected, 3)))",
            onPass: "repeat rate consistent with independent draws",
            onAmbiguous: "\(direction) adjacent repeats to be sure; resample with a larger n",
            onFail: Double(repeats) > expected
                ? "too many adjacent repeats (a generator reseeded from the clock, or a stuck value)"
                : "too few adjacent repeats (the generator avoids repeating the previous value)"
        )
    }

    /// The longest run of one value. A run of length L needs L-1 consecutive adjacent repeats,
    /// and those indicators are independent Bernoulli(1/K), so P(longest ≥ L) is computed
    /// exactly by a Markov chain over the current run length; when the union bound
    /// q^(L-1)·(1 + (n-L)(1-q)) is already below 1e-10 that (conservative) bound is used instead.
    ///
    /// False failure: ≤ 1e-6 (exact or an upper bound). Power: any run of L or more fails,
    /// where L is 10 for K = 11, n = 1,000; 6 for K = 100, n = 3,000; 4 for K = 10,000,
    /// n = 5,000. Clock-reseeded servers sampled in a burst give runs of tens to hundreds.
    package static func longestRun(_ values: [Int], min: Int, max: Int) -> StatResult {
        let name = "longest-run"
        let n = values.count
        guard max > min else {
            return .undecidable(test: name, n: n, statisticName: "run length", reason: "the range has one value")
        }
        guard n >= 2 else {
            return .undecidable(test: name, n: n, statisticName: "run length", reason: "fewer than 2 values")
        }
        let k = max - min + 1
        var longest = 1
        var current = 1
        var longestValue = values[0]
        for i in 1..<n {
            current = values[i] == values[i - 1] ? current + 1 : 1
            if current > longest {
                longest = current
                longestValue = values[i]
            }
        }
        let p = longestRunTail(longest, n: n, rangeSize: k)
        // The union bound is within a few percent of the exact tail near 1e-6, and cheap.
        var limit = 2
        while limit <= n && longestRunBound(limit, n: n, rangeSize: k) >= Thresholds.fail { limit += 1 }
        return .judged(
            test: name, n: n, statistic: Double(longest), statisticName: "run length", pValue: p,
            detectable: limit <= n ? "a run of \(limit) or more equal values" : "no run is conclusive at this n",
            numbers: "longest run \(longest) (value \(longestValue))",
            onPass: "no suspicious run",
            onFail: "\(longest) equal values in a row (a stuck generator or one reseeded from the clock)"
        )
    }

    /// Union bound on P(longest run ≥ length): the run starts at the first draw, or right after
    /// a change of value.
    static func longestRunBound(_ length: Int, n: Int, rangeSize k: Int) -> Double {
        if length <= 1 { return 1 }
        if length > n { return 0 }
        let q = 1 / Double(k)
        let needed = Double(length - 1)
        return Swift.min(1, exp(needed * log(q)) * (1 + (Double(n - 1) - needed) * (1 - q)))
    }

    /// P(some run of ≥ length equal values among n independent uniform draws from K values).
    static func longestRunTail(_ length: Int, n: Int, rangeSize k: Int) -> Double {
        if length <= 1 { return 1 }
        if length > n { return 0 }
        let q = 1 / Double(k)
        let needed = length - 1  // consecutive successes among n - 1 repeat indicators
        let trials = n - 1
        let bound = longestRunBound(length, n: n, rangeSize: k)
        if bound < 1e-10 { return bound }
        if needed == 1 { return -expm1(Double(trials) * log1p(-q)) }
        // state[j]: P(current streak j and no streak of `needed` yet).
        var state = [Double](repeating: 0, count: needed)
        state[0] = 1
        var reached = 0.0
        for _ in 0..<trials {
            reached += state[needed - 1] * q
            var total = 0.0
            for value in state { total += value }
            var j = needed - 1
            while j > 0 {
                state[j] = state[j - 1] * q
                j -= 1
            }
            state[0] = total * (1 - q)
        }
        return Swift.min(1, reached)
    }
}

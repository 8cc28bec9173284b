// libm (FoundationEssentials has no math): the statistics make no system calls.
import CRandWireMath

/// Black-box tests that the numbers a server sends are uniform on [min, max] and independent.
///
/// Every test returns a p-value: the probability that a correct server (independent uniform
/// draws) gives a result at least this extreme. p < 1e-6 fails, 1e-6 ≤ p < 1e-3 is ambiguous
/// (the runner resamples once, larger), otherwise pass. So each test fails a correct server
/// with probability ≤ 1e-6; the tests that rest on the chi-square approximation tighten their
/// fail level to 1e-8 when expected cell counts are below 50 (see `Thresholds`).
/// Values outside [min, max] are a deterministic failure the caller reports on its own; these
/// tests ignore them (uniformity, endpoints) or clamp them into the edge bins (position).
package enum RandomnessTests {
    /// Pearson chi-square goodness of fit to the uniform distribution on [min, max].
    ///
    /// Bins: one per value when K ≤ 20 and every value expects ≥ 10 draws; otherwise up to 10
    /// contiguous bins of (almost) equal probability, at least 10 expected in each, with their
    /// exact probabilities (size / K) when K does not split evenly. Few bins on purpose: for
    /// the skews real servers have (modulo bias, an off-by-one, a favoured value) few bins
    /// have more power at n ≤ 5,000 than many.
    ///
    /// False failure: ≤ 1e-6 by the chi-square tail when every bin expects ≥ 50; with fewer the
    /// fail level is 1e-8, so an approximation error of even 10x keeps it below 1e-7.
    /// Power (90%, at 1e-6): K = 11, n = 1,000: one value 1.9x as likely as the others
    /// (the anchors' 2x at 98%); K = 10,000, n = 5,000: `rand() % 10000` with RAND_MAX 32767
    /// (values ≤ 2768 are 4/3 as likely) is caught about 99.9% of the time.
    package static func uniformity(_ values: [Int], min: Int, max: Int) -> StatResult {
        let name = "uniformity"
        guard max > min else {
            return .undecidable(test: name, n: values.count, statisticName: "chi-square", reason: "the range has one value")
        }
        let k = max - min + 1
        var n = 0
        for value in values where value >= min && value <= max { n += 1 }
        let bins: Int
        if k <= 20 && n >= 10 * k {
            bins = k
        } else {
            bins = Swift.min(k, Swift.min(10, n / 10))
        }
        guard bins >= 2 else {
            return .undecidable(test: name, n: n, statisticName: "chi-square", reason: "fewer than 20 values in range")
        }
        let binning = Binning(min: min, max: max, count: bins)
        var counts = [Int](repeating: 0, count: bins)
        for value in values where value >= min && value <= max { counts[binning.bin(of: value)] += 1 }
        var chiSquare = 0.0
        var smallestExpected = Double.infinity
        var worst = (bin: 0, ratio: 1.0, excess: 0.0)
        for j in 0..<bins {
            let expected = Double(n) * binning.probability(j)
            smallestExpected = Swift.min(smallestExpected, expected)
            let difference = Double(counts[j]) - expected
            let contribution = difference * difference / expected
            chiSquare += contribution
            if contribution > worst.excess { worst = (j, Double(counts[j]) / expected, contribution) }
        }
        let df = bins - 1
        let p = Distributions.chiSquareUpperTail(chiSquare, degreesOfFreedom: df)
        let failLevel = smallestExpected >= Thresholds.chiSquareTrustedExpected ? Thresholds.fail : Thresholds.failWithSmallCells
        let critical = Distributions.chiSquareCritical(failLevel, degreesOfFreedom: df)
        let lambda = Power.requiredNoncentrality(degreesOfFreedom: df, critical: critical)
        let unit = bins == k ? "a value" : "a bin of ~\(k / bins) values (1/\(bins) of the range)"
        let detectable: String
        if let ratio = Power.singleCellRatio(n: Double(n), bins: bins, lambda: lambda) {
            detectable = "\(unit) \(Format.number(ratio, 2))x as likely as the others"
        } else {
            detectable = "only a gross skew (\(unit) always or never drawn is not enough at this n)"
        }
        let worstWords = "most off: \(binning.label(worst.bin)) at \(Format.number(worst.ratio, 2))x its expected count"
        return .judged(
            test: name, n: n, statistic: chiSquare, statisticName: "chi-square (df \(df))", pValue: p,
            failThreshold: failLevel, detectable: detectable,
            numbers: "chi-square \(Format.number(chiSquare, 3)) (df \(df), \(bins == k ? "one bin per value" : "\(bins) bins"))",
            onPass: "no evidence of bias at this power",
            onAmbiguous: "unusual spread (\(worstWords)); resample with a larger n",
            onFail: "values are not uniform (\(worstWords))"
        )
    }

    /// Both ends of the range are produced. Catches off-by-one ranges (`rand() % (max - min)`
    /// never yields max; a 1-based formula never yields min).
    ///
    /// When 2(1-1/K)^n ≤ 1e-6 the test looks at min and max themselves; otherwise at the low
    /// and high 1% of the range (width ⌈K/100⌉ values each) when 2(1-w/K)^n ≤ 1e-6; otherwise it
    /// cannot decide and returns nil. K = 11 needs n ≥ 153, K = 100 n ≥ 1,444, K = 10,000 uses
    /// the 1% tails (values 1..100 and 9901..10000) from n ≥ 1,444.
    ///
    /// False failure: exactly P(an end missing) = 2(1-w/K)^n - (1-2w/K)^n ≤ 1e-6 when decidable.
    /// Power: a range that never yields an end (or a whole 1% tail) fails with certainty, since
    /// the p-value of an empty end is then below 1e-6 by construction.
    package static func endpoints(_ values: [Int], min: Int, max: Int) -> StatResult? {
        let name = "endpoints"
        guard max > min else { return nil }
        let k = max - min + 1
        var n = 0
        var smallest = Int.max
        var largest = Int.min
        for value in values where value >= min && value <= max {
            n += 1
            smallest = Swift.min(smallest, value)
            largest = Swift.max(largest, value)
        }
        func missProbability(width: Int) -> (one: Double, both: Double) {
            let single = exp(Double(n) * log1p(-Double(width) / Double(k)))
            let double = 2 * width >= k ? 0 : exp(Double(n) * log1p(-2 * Double(width) / Double(k)))
            return (Swift.min(1, 2 * single - double), double)
        }
        var width = 1
        var miss = missProbability(width: 1)
        if miss.one > Thresholds.fail {
            width = (k + 99) / 100
            guard width > 1, 2 * width <= k else { return nil }
            miss = missProbability(width: width)
            guard miss.one <= Thresholds.fail else { return nil }
        }
        let lowLast = min + width - 1
        let highFirst = max - width + 1
        let lowSeen = n > 0 && smallest <= lowLast
        let highSeen = n > 0 && largest >= highFirst
        let missing = (lowSeen ? 0 : 1) + (highSeen ? 0 : 1)
        let p = missing == 0 ? 1 : (missing == 1 ? miss.one : miss.both)
        let lowLabel = width == 1 ? "\(min)" : "\(min)..\(lowLast)"
        let highLabel = width == 1 ? "\(max)" : "\(highFirst)..\(max)"
        var absent: [String] = []
        if !lowSeen { absent.append(lowLabel) }
        if !highSeen { absent.append(highLabel) }
        let what = width == 1 ? "endpoints \(min) and \(max)" : "1% tails \(lowLabel) and \(highLabel)"
        return .judged(
            test: name, n: n, statistic: Double(missing), statisticName: "ends never seen", pValue: p,
            detectable: width == 1
                ? "an endpoint never produced (off-by-one range)"
                : "a 1% tail never produced (a range short by ≥ \(width) values at one end)",
            numbers: "\(missing) of the \(what) never seen",
            onPass: "both ends reached",
            onFail: "never produced \(absent.joined(separator: " or ")): the range is narrower than [\(min), \(max)]"
        )
    }
}

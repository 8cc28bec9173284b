// libm (FoundationEssentials has no math): the statistics make no system calls.
import CRandWireMath

/// Tests on csv batches (several draws per response). `n` in their results counts batches.
extension RandomnessTests {
    /// Number of batches that contain a repeated value, against the exact probability for
    /// independent draws, 1 - Π(1 - i/K) (0.372 for 10 draws from 1..100). Two-sided
    /// (p = 2·min tail, Binomial, or Poisson binomial when batch sizes differ): no duplicates at
    /// all is a server that samples without replacement (shuffles and deals); too many is a
    /// server that recycles values within a batch.
    ///
    /// False failure: ≤ 1e-6 exactly. Power: 10 from 1..100 without replacement fails from 32
    /// batches (50 batches: p = 1.6e-10); at 300 batches a duplicate rate outside about
    /// 0.20-0.54 (expected 0.372) is caught 90% of the time.
    package static func batchDuplicates(_ batches: [[Int]], min: Int, max: Int) -> StatResult {
        let name = "batch-duplicates"
        let k = max - min + 1
        var probabilities: [Double] = []
        var observed = 0
        for batch in batches {
            let pd = duplicateProbability(size: batch.count, rangeSize: k)
            guard pd > 0, pd < 1 else { continue }
            probabilities.append(pd)
            if hasDuplicate(batch) { observed += 1 }
        }
        let b = probabilities.count
        guard b > 0 else {
            return .undecidable(test: name, n: batches.count, statisticName: "count",
                                reason: "no batch can both have and lack a duplicate (size 1, or more draws than values)")
        }
        let uniform = probabilities.allSatisfy { $0 == probabilities[0] }
        let upper: Double
        let lower: Double
        if uniform {
            upper = Distributions.binomialUpperTail(observed, n: b, p: probabilities[0])
            lower = Distributions.binomialLowerTail(observed, n: b, p: probabilities[0])
        } else {
            upper = Distributions.poissonBinomialUpperTail(observed, probabilities: probabilities)
            lower = Distributions.poissonBinomialLowerTail(observed, probabilities: probabilities)
        }
        let p = Swift.min(1, 2 * Swift.min(upper, lower))
        let expected = probabilities.reduce(0, +)
        let rate = expected / Double(b)
        let zCritical = Distributions.normalTwoSidedCritical(Thresholds.fail)
        let spread = (zCritical + Power.zPower) * (rate * (1 - rate) / Double(b)).squareRoot()
        let allDistinctFrom = Int((log(Thresholds.fail / 2) / log1p(-rate)).rounded(.up))
        var detectable = "no duplicates at all (sampling without replacement) from \(allDistinctFrom) batches on"
        if rate - spread > 0 || rate + spread < 1 {
            detectable += "; at this n a duplicate rate outside \(Format.number(Swift.max(0, rate - spread), 2))-\(Format.number(Swift.min(1, rate + spread), 2))"
        }
        let tooFew = Double(observed) < expected
        return .judged(
            test: name, n: b, statistic: Double(observed), statisticName: "count", pValue: p,
            detectable: detectable,
            numbers: "\(observed) of \(b) batches contain a duplicate (expected \(Format.number(expected, 3)))",
            onPass: "duplicates within batches as often as independent draws give",
            onFail: tooFew
                ? "too few batches with a repeated value: draws within a batch are not independent (sampling without replacement?)"
                : "too many batches with a repeated value: draws within a batch are not independent"
        )
    }

    /// Number of batches that are sorted (non-decreasing or non-increasing), against the exact
    /// probability with ties: P = 2·C(K+m-1, m)/K^m - K^(1-m) for m draws from K values
    /// (8.5e-7 for 10 from 1..100). Upper tail. Batches of ≤ 2 draws are always sorted and carry
    /// no information.
    ///
    /// False failure: ≤ 1e-6 exactly (Binomial / Poisson binomial tail). Power: a server that
    /// sorts its batches fails with 1 batch of 10 from 1..100 (p = 8.5e-7) and certainly with 2.
    /// One sorted batch among 300 from a correct server (probability 2.6e-4) is ambiguous.
    package static func batchSorted(_ batches: [[Int]], min: Int, max: Int) -> StatResult {
        let name = "batch-sorted"
        let k = max - min + 1
        var probabilities: [Double] = []
        var observed = 0
        for batch in batches {
            let ps = sortedProbability(size: batch.count, rangeSize: k)
            guard ps < 1 else { continue }
            probabilities.append(ps)
            if isMonotone(batch) { observed += 1 }
        }
        let b = probabilities.count
        guard b > 0 else {
            return .undecidable(test: name, n: batches.count, statisticName: "count",
                                reason: "no batch has 3 or more draws from 2 or more values")
        }
        let uniform = probabilities.allSatisfy { $0 == probabilities[0] }
        func tail(_ count: Int) -> Double {
            uniform
                ? Distributions.binomialUpperTail(count, n: b, p: probabilities[0])
                : Distributions.poissonBinomialUpperTail(count, probabilities: probabilities)
        }
        let p = tail(observed)
        var critical = 1
        while critical <= b && tail(critical) >= Thresholds.fail { critical += 1 }
        let expected = probabilities.reduce(0, +)
        return .judged(
            test: name, n: b, statistic: Double(observed), statisticName: "count", pValue: p,
            detectable: critical <= b ? "\(critical) or more sorted batches out of \(b)" : "no count of sorted batches is conclusive at this n",
            numbers: "\(observed) of \(b) batches sorted (expected \(Format.number(expected, 2)))",
            onPass: "no sign of sorted batches",
            onFail: "batches come out sorted: draws within a batch are not in random order"
        )
    }

    /// Position exchangeability: a chi-square test of homogeneity on the (position × value-bin)
    /// table of the first m draws of every batch (m = the shortest batch), df = (m-1)(b-1). A
    /// correct server draws every position from the same distribution. Catches "the first
    /// number is always small", per-position ranges, and positions filled differently. Values
    /// outside [min, max] are counted in the edge bins.
    ///
    /// Bins: the most (≤ 10) equal-probability value bins in which every cell still expects
    /// ≥ 50; with too few batches for that, up to 10 bins expecting ≥ 10.
    /// False failure: ≤ 1e-6 by the chi-square tail when every cell expects ≥ 50, else the
    /// fail level is 1e-8. Power (90%, at 1e-6), 300 batches of 10 from 1..100 (5 bins,
    /// df 36): one position whose values land in one fifth of the range 2.9x as often as at the
    /// other positions; a first position always ≤ 10 (5x in the lowest bin) fails for certain.
    package static func positionExchangeability(_ batches: [[Int]], min: Int, max: Int) -> StatResult {
        let name = "position-exchangeability"
        let used = batches.filter { !$0.isEmpty }
        guard max > min else {
            return .undecidable(test: name, n: used.count, statisticName: "chi-square", reason: "the range has one value")
        }
        let m = used.map(\.count).min() ?? 0
        guard m >= 2 else {
            return .undecidable(test: name, n: used.count, statisticName: "chi-square", reason: "batches have fewer than 2 draws")
        }
        let k = max - min + 1
        let b = used.count
        // The most bins (≤ 10) whose smallest cell still expects ≥ 50; else ≥ 10 with the
        // stricter fail level.
        var bins = Swift.min(10, k)
        while bins >= 2 && Double(b) * Double(k / bins) / Double(k) < Thresholds.chiSquareTrustedExpected { bins -= 1 }
        if bins < 2 { bins = Swift.min(10, k, b / 10) }
        guard bins >= 2 else {
            return .undecidable(test: name, n: b, statisticName: "chi-square", reason: "fewer than 20 batches")
        }
        let binning = Binning(min: min, max: max, count: bins)
        var table = [[Int]](repeating: [Int](repeating: 0, count: bins), count: m)
        for batch in used {
            for position in 0..<m { table[position][binning.bin(of: batch[position])] += 1 }
        }
        var columnTotals = [Int](repeating: 0, count: bins)
        for row in table { for j in 0..<bins { columnTotals[j] += row[j] } }
        let columns = (0..<bins).filter { columnTotals[$0] > 0 }
        guard columns.count >= 2 else {
            return .undecidable(test: name, n: b, statisticName: "chi-square", reason: "every value falls in one bin")
        }
        var chiSquare = 0.0
        var worst = (position: 0, bin: 0, ratio: 1.0, contribution: 0.0)
        for position in 0..<m {
            for j in columns {
                let expected = Double(columnTotals[j]) / Double(m)
                let difference = Double(table[position][j]) - expected
                let contribution = difference * difference / expected
                chiSquare += contribution
                if contribution > worst.contribution {
                    worst = (position, j, Double(table[position][j]) / expected, contribution)
                }
            }
        }
        let df = (m - 1) * (columns.count - 1)
        let p = Distributions.chiSquareUpperTail(chiSquare, degreesOfFreedom: df)
        var smallestProbability = 1.0
        for j in 0..<bins { smallestProbability = Swift.min(smallestProbability, binning.probability(j)) }
        let failLevel = Double(b) * smallestProbability >= Thresholds.chiSquareTrustedExpected
            ? Thresholds.fail : Thresholds.failWithSmallCells
        let critical = Distributions.chiSquareCritical(failLevel, degreesOfFreedom: df)
        let lambda = Power.requiredNoncentrality(degreesOfFreedom: df, critical: critical)
        let effective = Double(b) * Double(m - 1) / Double(m)
        let detectable: String
        if let ratio = Power.singleCellRatio(n: effective, bins: bins, lambda: lambda) {
            detectable = "one position whose values land in one bin (1/\(bins) of the range) \(Format.number(ratio, 2))x as often as at the other positions"
        } else {
            detectable = "only a gross difference between positions at this n"
        }
        let worstWords = "position \(worst.position + 1) draws \(binning.label(worst.bin)) \(Format.number(worst.ratio, 2))x as often as the average position"
        return .judged(
            test: name, n: b, statistic: chiSquare, statisticName: "chi-square (df \(df))", pValue: p,
            failThreshold: failLevel, detectable: detectable,
            numbers: "chi-square \(Format.number(chiSquare, 3)) (df \(df), \(m) positions x \(columns.count) bins)",
            onPass: "every position looks alike at this power",
            onAmbiguous: "positions differ somewhat (\(worstWords)); resample with a larger n",
            onFail: "positions in a batch are not drawn alike (\(worstWords))"
        )
    }

    /// Batches that exactly repeat an earlier batch (same values in the same order). For
    /// independent draws each batch is one of N = K^m equally likely sequences; the number of
    /// repeats is computed exactly by the occupancy chain (each new batch repeats one of the j
    /// distinct ones seen so far with probability j/N). Catches servers that cache or replay a
    /// response, or reseed with the same seed per connection.
    ///
    /// False failure: ≤ 1e-6 exactly. Power: for 10 draws from 1..100 (N = 1e20) a single
    /// repeat among 300 batches has p ≈ 4.5e-16 and fails.
    package static func identicalBatches(_ batches: [[Int]], min: Int, max: Int) -> StatResult {
        let name = "identical-batches"
        let used = batches.filter { !$0.isEmpty }
        let k = Swift.max(1, max - min + 1)
        // Batches of different sizes can never be equal, so count within each size.
        var seen: Set<[Int]> = []
        var groups: [Int: (count: Int, repeats: Int)] = [:]
        for batch in used {
            let isRepeat = !seen.insert(batch).inserted
            groups[batch.count, default: (0, 0)].count += 1
            if isRepeat { groups[batch.count, default: (0, 0)].repeats += 1 }
        }
        let repeats = groups.values.reduce(0) { $0 + $1.repeats }
        var expected = 0.0
        for (size, group) in groups {
            let pairs = Double(group.count) * Double(group.count - 1) / 2
            expected += exp(log(pairs) - Double(size) * log(Double(k)))
        }
        var p = 1.0
        if repeats > 0 {
            // Capped distribution of total repeats: index `repeats` holds P(≥ repeats).
            var total = [Double](repeating: 0, count: repeats + 1)
            total[0] = 1
            for (size, group) in groups.sorted(by: { $0.key < $1.key }) {
                let distribution = repeatDistribution(batches: group.count, outcomes: exp(Double(size) * log(Double(k))), cap: repeats)
                var combined = [Double](repeating: 0, count: repeats + 1)
                for i in 0...repeats where total[i] > 0 {
                    for j in 0...repeats where distribution[j] > 0 {
                        combined[Swift.min(repeats, i + j)] += total[i] * distribution[j]
                    }
                }
                total = combined
            }
            p = Swift.min(1, total[repeats])
        }
        return .judged(
            test: name, n: used.count, statistic: Double(repeats), statisticName: "count", pValue: p,
            detectable: expected < Thresholds.fail
                ? "any batch repeated exactly"
                : "only more repeats than chance gives (\(Format.number(expected, 3)) expected)",
            numbers: "\(repeats) batches repeat an earlier one (expected \(Format.number(expected, 3)))",
            onPass: "no replayed batches",
            onFail: "batches repeat exactly: the server replays responses or reuses a seed"
        )
    }

    /// P(a batch of `size` independent draws from K values has a repeated value).
    static func duplicateProbability(size: Int, rangeSize k: Int) -> Double {
        if size < 2 { return 0 }
        if size > k { return 1 }
        var logAllDistinct = 0.0
        for i in 1..<size { logAllDistinct += log1p(-Double(i) / Double(k)) }
        return -expm1(logAllDistinct)
    }

    /// P(a batch of `size` independent draws from K values is non-decreasing or non-increasing).
    static func sortedProbability(size m: Int, rangeSize k: Int) -> Double {
        if m <= 2 || k <= 1 { return 1 }
        // C(K+m-1, m) / K^m = Π_{i=1..m} (1 + (i-1)/K) / i, without huge intermediates.
        var logOneWay = 0.0
        for i in 1...m { logOneWay += log1p(Double(i - 1) / Double(k)) - log(Double(i)) }
        let constant = exp(Double(1 - m) * log(Double(k)))
        return Swift.min(1, 2 * exp(logOneWay) - constant)
    }

    static func hasDuplicate(_ batch: [Int]) -> Bool {
        if batch.count <= 16 {
            for i in batch.indices {
                for j in (i + 1)..<batch.count where batch[i] == batch[j] { return true }
            }
            return false
        }
        let sorted = batch.sorted()
        for i in sorted.indices.dropFirst() where sorted[i] == sorted[i - 1] { return true }
        return false
    }

    static func isMonotone(_ batch: [Int]) -> Bool {
        var up = true
        var down = true
        for i in batch.indices.dropFirst() {
            if batch[i] < batch[i - 1] { up = false }
            if batch[i] > batch[i - 1] { down = false }
        }
        return up || down
    }

    /// Distribution of the number of repeats among `batches` uniform draws from `outcomes`
    /// equally likely sequences, capped: the last entry is P(≥ cap).
    static func repeatDistribution(batches: Int, outcomes: Double, cap: Int) -> [Double] {
        var state = [Double](repeating: 0, count: cap + 1)
        state[0] = 1
        for t in 0..<batches {
            var c = Swift.min(cap - 1, t)
            while c >= 0 {
                let distinct = Double(t - c)
                let hit = outcomes.isFinite ? distinct / outcomes : 0
                let moving = state[c] * hit
                state[c] -= moving
                state[c + 1] += moving
                c -= 1
            }
        }
        return state
    }
}

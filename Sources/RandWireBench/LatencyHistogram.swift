/// An HDR-style latency histogram: log-linear buckets in nanoseconds, 32 sub-buckets per power
/// of two (about 3 % resolution), values below 64 ns kept exactly. A fixed array allocated once,
/// so recording a sample never allocates. Exact count, sum, minimum and maximum are kept beside
/// the buckets. Owned by one thread; merge per-thread histograms at the end.
package struct LatencyHistogram: Sendable, Hashable {
    /// Sub-buckets per power of two.
    static let subBuckets = 32
    /// Enough buckets for 2^46 ns (about 19 hours); larger samples share the last bucket.
    package static let bucketCount = 1344

    private(set) var counts: [UInt64]
    package private(set) var count: UInt64 = 0
    package private(set) var sumNanoseconds: UInt64 = 0
    package private(set) var minNanoseconds: UInt64 = .max
    package private(set) var maxNanoseconds: UInt64 = 0

    package init() {
        counts = Array(repeating: 0, count: Self.bucketCount)
    }

    /// The bucket a value falls in.
    @inline(__always)
    static func bucket(of value: UInt64) -> Int {
        if value < 64 { return Int(value) }
        let exponent = 63 - value.leadingZeroBitCount
        let shift = exponent - 5
        let index = shift * subBuckets + Int(truncatingIfNeeded: value >> UInt64(shift))
        return index < bucketCount ? index : bucketCount - 1
    }

    /// The smallest and largest value bucket `index` holds.
    static func range(of index: Int) -> ClosedRange<UInt64> {
        if index < 64 { return UInt64(index)...UInt64(index) }
        let shift = index / subBuckets - 1
        let mantissa = UInt64(index - shift * subBuckets)
        return (mantissa << UInt64(shift))...(((mantissa + 1) << UInt64(shift)) - 1)
    }

    @inline(__always)
    package mutating func record(nanoseconds value: UInt64) {
        counts.withUnsafeMutableBufferPointer { $0[Self.bucket(of: value)] &+= 1 }
        count &+= 1
        sumNanoseconds &+= value
        if value < minNanoseconds { minNanoseconds = value }
        if value > maxNanoseconds { maxNanoseconds = value }
    }

    package mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
        count &+= other.count
        sumNanoseconds &+= other.sumNanoseconds
        minNanoseconds = Swift.min(minNanoseconds, other.minNanoseconds)
        maxNanoseconds = Swift.max(maxNanoseconds, other.maxNanoseconds)
    }

    /// The value at quantile `q` (0...1): the smallest recorded value v such that at least
    /// ceil(q × count) samples are ≤ v, to the bucket's resolution. The answer is the bucket's
    /// midpoint clamped to the exact minimum and maximum, so it is exact below 64 ns, exact at
    /// q = 0 and q = 1, and within 1/64 of the true value elsewhere. 0 when empty.
    package func value(atQuantile q: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        if q >= 1 { return maxNanoseconds }
        var need = UInt64((Swift.max(q, 0) * Double(count)).rounded(.up))
        if need == 0 { need = 1 }
        var accumulated: UInt64 = 0
        for index in counts.indices {
            accumulated &+= counts[index]
            if accumulated >= need {
                let bucket = Self.range(of: index)
                let middle = bucket.lowerBound + (bucket.upperBound - bucket.lowerBound) / 2
                return Swift.min(Swift.max(middle, minNanoseconds), maxNanoseconds)
            }
        }
        return maxNanoseconds
    }

    /// Mean of the recorded values (exact), 0 when empty.
    package var meanNanoseconds: Double { count == 0 ? 0 : Double(sumNanoseconds) / Double(count) }

    /// p50/p90/p99/p99.9/max in milliseconds.
    package var summary: LatencySummary {
        func ms(_ ns: UInt64) -> Double { Double(ns) / 1_000_000 }
        return LatencySummary(
            samples: Int(count),
            p50Ms: ms(value(atQuantile: 0.5)), p90Ms: ms(value(atQuantile: 0.9)), p99Ms: ms(value(atQuantile: 0.99)),
            p999Ms: ms(value(atQuantile: 0.999)), maxMs: ms(count == 0 ? 0 : maxNanoseconds), meanMs: meanNanoseconds / 1_000_000)
    }
}

/// Latency percentiles of a run, in milliseconds.
package struct LatencySummary: Sendable, Hashable, Codable {
    /// Samples behind the figures: completed exchanges, plus timed-out and abandoned ones at
    /// their age when given up (so a server that leaves clients hanging shows in the tail).
    package var samples: Int
    package var p50Ms: Double
    package var p90Ms: Double
    package var p99Ms: Double
    package var p999Ms: Double
    package var maxMs: Double
    package var meanMs: Double

    package init(samples: Int, p50Ms: Double, p90Ms: Double, p99Ms: Double, p999Ms: Double, maxMs: Double, meanMs: Double) {
        self.samples = samples
        self.p50Ms = p50Ms
        self.p90Ms = p90Ms
        self.p99Ms = p99Ms
        self.p999Ms = p999Ms
        self.maxMs = maxMs
        self.meanMs = meanMs
    }
}

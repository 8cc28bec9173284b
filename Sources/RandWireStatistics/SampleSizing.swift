/// How many values the runner should draw by default.
///
/// - K ≤ 20 (one bin per value): the n at which uniformity catches one value twice as likely
///   as the others with 90% probability at 1e-6, rounded up to 500, at least 1,000 (so
///   endpoints, runs and repeats are decidable) and at most 3,000. K = 11 → 1,000 (the anchors'
///   98% power for 2x); K = 20 → 2,000.
/// - 20 < K ≤ 100: 3,000 values. For 1..100 in batches of 10 that is 300 batches: endpoints
///   decidable (needs 1,444), without-replacement sampling caught with p ≈ 1e-60, two sorted
///   batches fail, a position drawing one fifth of the range 2.9x as often is caught.
/// - K > 100: 5,000 values. For 1..10000: 10-bin uniformity catches `rand() % 10000` modulo
///   bias (RAND_MAX 32767) 99.9% of the time, the 1% tails are decidable, a lag-1 correlation
///   of 0.087 is caught 90% of the time.
/// With batchSize > 1 the count is rounded up to whole batches (at least 50 batches when that
/// stays within the cap).
package enum SampleSizing {
    package static func recommendedSampleCount(min: Int, max: Int, batchSize: Int) -> Int {
        let m = Swift.max(1, batchSize)
        guard max > min else { return roundUp(Swift.max(100, 10 * m), to: m) }
        let k = max - min + 1
        let cap = k <= 100 ? 3_000 : 5_000
        var n: Int
        if k <= 20 {
            let df = k - 1
            let critical = Distributions.chiSquareCritical(Thresholds.fail, degreesOfFreedom: df)
            let lambda = Power.requiredNoncentrality(degreesOfFreedom: df, critical: critical)
            // λ = n (ρ-1)² (K-1) / (K-1+ρ)² with ρ = 2.
            let needed = lambda * Double((k + 1) * (k + 1)) / Double(k - 1)
            n = roundUp(Int(needed.rounded(.up)), to: 500)
            n = Swift.min(cap, Swift.max(1_000, n))
        } else {
            n = cap
        }
        if m > 1 {
            n = Swift.max(n, Swift.min(50 * m, roundDown(cap, to: m)))
            n = roundUp(n, to: m)
            if n > cap && n - m >= m { n -= m }
        }
        return n
    }

    private static func roundUp(_ x: Int, to step: Int) -> Int { (x + step - 1) / step * step }
    private static func roundDown(_ x: Int, to step: Int) -> Int { Swift.max(step, x / step * step) }
}

/// Power arithmetic behind the `detectable` strings: the smallest deviation each test catches
/// with probability `power` at its fail threshold. Normal approximations, good to a few percent,
/// which is all a sentence in a report needs.
enum Power {
    /// The power the `detectable` strings promise.
    static let power = 0.9
    /// One-sided standard normal quantile for `power` (90% → 1.2816).
    static let zPower = 1.2815515655446004

    /// The noncentrality λ at which a chi-square test with `degreesOfFreedom` exceeds
    /// `critical` with probability `power`, using the normal approximation of the noncentral
    /// chi-square (mean df + λ, variance 2(df + 2λ)).
    static func requiredNoncentrality(degreesOfFreedom: Int, critical: Double) -> Double {
        let df = Double(degreesOfFreedom)
        func reached(_ lambda: Double) -> Bool {
            df + lambda - zPower * (2 * (df + 2 * lambda)).squareRoot() >= critical
        }
        var low = 0.0
        var high = critical + 100
        while !reached(high) { high *= 2 }
        for _ in 0..<100 {
            let mid = (low + high) / 2
            if reached(mid) { high = mid } else { low = mid }
        }
        return high
    }

    /// The ratio ρ by which one of `bins` equally likely cells must be more likely than the
    /// others for a chi-square over `n` observations to reach noncentrality `lambda`
    /// (λ = n (ρ-1)² (b-1) / (b-1+ρ)²); nil when no ratio is enough.
    static func singleCellRatio(n: Double, bins: Int, lambda: Double) -> Double? {
        let b = Double(bins)
        guard n > 0, bins > 1 else { return nil }
        let s = (lambda / (n * (b - 1))).squareRoot()
        guard s < 1 else { return nil }
        return 1 + s * b / (1 - s)
    }
}

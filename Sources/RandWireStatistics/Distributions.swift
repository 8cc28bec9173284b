// libm (FoundationEssentials has no math): the statistics make no system calls.
import CRandWireMath

/// Tail probabilities the tests need, computed so that p-values near 1e-6 and far below it
/// keep their relative accuracy (no `1 - x` cancellation in the tail that matters).
package enum Distributions {
    /// P(χ²_df ≥ x): the regularized upper incomplete gamma Q(df/2, x/2). Relative accuracy
    /// about 1e-12 until the result underflows below about 1e-300.
    package static func chiSquareUpperTail(_ x: Double, degreesOfFreedom: Int) -> Double {
        guard degreesOfFreedom > 0 else { return x > 0 ? 0 : 1 }
        guard x.isFinite else { return x > 0 ? 0 : 1 }
        return regularizedUpperGamma(a: Double(degreesOfFreedom) / 2, x: x / 2)
    }

    /// The x with P(χ²_df ≥ x) = alpha (the critical value), found by bisection.
    package static func chiSquareCritical(_ alpha: Double, degreesOfFreedom: Int) -> Double {
        let df = Double(degreesOfFreedom)
        var low = 0.0
        var high = df + 10 * (df * 2).squareRoot() + 100
        while chiSquareUpperTail(high, degreesOfFreedom: degreesOfFreedom) > alpha { high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if chiSquareUpperTail(mid, degreesOfFreedom: degreesOfFreedom) > alpha { low = mid } else { high = mid }
            if high - low < 1e-10 * high { break }
        }
        return (low + high) / 2
    }

    /// P(|Z| ≥ |z|) for a standard normal Z.
    package static func normalTwoSided(_ z: Double) -> Double {
        guard !z.isNaN else { return 1 }
        return erfc(abs(z) / 2.0.squareRoot())
    }

    /// The z with P(|Z| ≥ z) = alpha (4.8916 for 1e-6).
    package static func normalTwoSidedCritical(_ alpha: Double) -> Double {
        var low = 0.0
        var high = 40.0
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if normalTwoSided(mid) > alpha { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    /// P(X ≥ k) for X ~ Binomial(n, p). Summed from the tail inwards in log space, so it stays
    /// accurate far into the tail (to the Double underflow limit).
    package static func binomialUpperTail(_ k: Int, n: Int, p: Double) -> Double {
        if k <= 0 { return 1 }
        if k > n { return 0 }
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        if Double(k) > Double(n) * p { return upperSum(k, n: n, p: p) }
        return Swift.max(0, 1 - lowerSum(k - 1, n: n, p: p))
    }

    /// P(X ≤ k) for X ~ Binomial(n, p), accurate far into the lower tail.
    package static func binomialLowerTail(_ k: Int, n: Int, p: Double) -> Double {
        if k < 0 { return 0 }
        if k >= n { return 1 }
        if p <= 0 { return 1 }
        if p >= 1 { return 0 }
        if Double(k) < Double(n) * p { return lowerSum(k, n: n, p: p) }
        return Swift.max(0, 1 - upperSum(k + 1, n: n, p: p))
    }

    /// log P(X = k) for X ~ Binomial(n, p), 0 < p < 1.
    static func logBinomialPMF(_ k: Int, n: Int, p: Double) -> Double {
        logChoose(n, k) + Double(k) * log(p) + Double(n - k) * log1p(-p)
    }

    /// log C(n, k).
    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
    }

    /// Σ_{j ≥ k} P(X = j) for k above the mean: the terms only shrink, so sum their ratios to
    /// the first term and add logs at the end.
    private static func upperSum(_ k: Int, n: Int, p: Double) -> Double {
        let odds = p / (1 - p)
        var ratio = 1.0
        var sum = 1.0
        var j = k
        while j < n {
            ratio *= Double(n - j) / Double(j + 1) * odds
            sum += ratio
            if ratio < sum * 1e-17 { break }
            j += 1
        }
        return Swift.min(1, exp(logBinomialPMF(k, n: n, p: p) + log(sum)))
    }

    /// Σ_{j ≤ k} P(X = j) for k below the mean, summed from k downwards.
    private static func lowerSum(_ k: Int, n: Int, p: Double) -> Double {
        let inverseOdds = (1 - p) / p
        var ratio = 1.0
        var sum = 1.0
        var j = k
        while j > 0 {
            ratio *= Double(j) / Double(n - j + 1) * inverseOdds
            sum += ratio
            if ratio < sum * 1e-17 { break }
            j -= 1
        }
        return Swift.min(1, exp(logBinomialPMF(k, n: n, p: p) + log(sum)))
    }

    /// Q(a, x) = Γ(a, x) / Γ(a): a series for P when x < a + 1 (then Q is not small), a
    /// continued fraction (modified Lentz) for Q otherwise.
    static func regularizedUpperGamma(a: Double, x: Double) -> Double {
        if x <= 0 { return 1 }
        let logPrefix = a * log(x) - x - lgamma(a)
        if x < a + 1 {
            var term = 1 / a
            var sum = term
            var denominator = a
            for _ in 0..<100_000 {
                denominator += 1
                term *= x / denominator
                sum += term
                if term < sum * 1e-17 { break }
            }
            return Swift.max(0, 1 - exp(logPrefix + log(sum)))
        }
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return Swift.min(1, exp(logPrefix + log(h)))
    }

    /// P(S ≥ k) for S a sum of independent Bernoulli(p_i) (Poisson binomial), by dynamic
    /// programming over the count capped at k. Exact up to rounding; no cancellation.
    static func poissonBinomialUpperTail(_ k: Int, probabilities: [Double]) -> Double {
        if k <= 0 { return 1 }
        if k > probabilities.count { return 0 }
        // state[c] = P(c successes so far) for c < k; reached collects P(≥ k).
        var state = [Double](repeating: 0, count: k)
        state[0] = 1
        var reached = 0.0
        for p in probabilities {
            reached += state[k - 1] * p
            var c = k - 1
            while c > 0 {
                state[c] = state[c] * (1 - p) + state[c - 1] * p
                c -= 1
            }
            state[0] *= (1 - p)
        }
        return Swift.min(1, reached)
    }

    /// P(S ≤ k) for the Poisson binomial: the upper tail of the failures.
    static func poissonBinomialLowerTail(_ k: Int, probabilities: [Double]) -> Double {
        poissonBinomialUpperTail(probabilities.count - k, probabilities: probabilities.map { 1 - $0 })
    }
}

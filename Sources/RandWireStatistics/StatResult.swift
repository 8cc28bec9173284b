/// The outcome of one randomness test, on the dieharder two-level scheme.
package enum StatVerdict: String, Sendable, Codable {
    /// No evidence of a defect at this sample size and power.
    case pass
    /// Unusual but not conclusive (1e-6 ≤ p < 1e-3): the runner draws one fresh, larger sample
    /// and runs the test again. A correct server lands here about once per thousand tests.
    case ambiguous
    /// p below the fail threshold: a correct server does this at most once per million tests.
    case fail
}

/// The two significance levels every test uses.
package enum Thresholds {
    /// p below this is a failure. About ten tests run per target, so a correct server fails a
    /// run with probability ≤ 1e-5, and a class of 200 correct servers sees one false failure
    /// with probability ≤ 2e-3.
    package static let fail = 1e-6
    /// p below this (and not below `fail`) is ambiguous and triggers one larger resample.
    package static let ambiguous = 1e-3
    /// The fail level used instead of `fail` when a chi-square test has fewer than
    /// `chiSquareTrustedExpected` expected observations in a cell: the chi-square tail is then
    /// only good to a factor of about 1.5 near 1e-6, so the verdict stays ambiguous (and the
    /// runner resamples) unless the evidence is a hundred times stronger.
    package static let failWithSmallCells = 1e-8
    /// The smallest expected count per cell at which the chi-square approximation is trusted at
    /// the 1e-6 level (simulations at 10^7 trials: 0.8-1.0x the nominal rate at 180-200 expected
    /// per cell, 1.4x at 18).
    package static let chiSquareTrustedExpected = 50.0
}

/// One test's statistic, p-value, verdict, and the power behind it, ready for a report.
package struct StatResult: Sendable, Codable, Hashable {
    /// Stable test name: "uniformity", "endpoints", "serial-correlation", "adjacent-repeats",
    /// "longest-run", "batch-duplicates", "batch-sorted", "position-exchangeability",
    /// "identical-batches".
    package let test: String
    /// Sample size used (values, or batches for the batch tests).
    package let n: Int
    package let statistic: Double
    /// What `statistic` is: "chi-square (df 10)", "z", "count", "run length", ...
    package let statisticName: String
    /// Probability, for a correct server, of a result at least this extreme.
    package let pValue: Double
    package let failThreshold: Double
    package let ambiguousThreshold: Double
    package let verdict: StatVerdict
    /// The smallest deviation this test detects at this n (with about 90% probability, at the
    /// fail threshold), in words.
    package let detectable: String
    /// One line for people: statistic, p, n and what the verdict means.
    package let summary: String

    package init(
        test: String, n: Int, statistic: Double, statisticName: String, pValue: Double,
        failThreshold: Double = Thresholds.fail, ambiguousThreshold: Double = Thresholds.ambiguous,
        verdict: StatVerdict, detectable: String, summary: String
    ) {
        self.test = test
        self.n = n
        self.statistic = statistic.isFinite ? statistic : (statistic > 0 ? Double.greatestFiniteMagnitude : 0)
        self.statisticName = statisticName
        self.pValue = pValue.isNaN ? 1 : Swift.min(1, Swift.max(0, pValue))
        self.failThreshold = failThreshold
        self.ambiguousThreshold = ambiguousThreshold
        self.verdict = verdict
        self.detectable = detectable
        self.summary = summary
    }

    /// The verdict for `pValue` at the given levels.
    package static func verdict(
        pValue: Double, failThreshold: Double = Thresholds.fail,
        ambiguousThreshold: Double = Thresholds.ambiguous
    ) -> StatVerdict {
        if pValue < failThreshold { return .fail }
        if pValue < ambiguousThreshold { return .ambiguous }
        return .pass
    }
}

extension StatResult {
    /// Builds a result whose verdict follows from `pValue`; `findings` gives the words for
    /// each verdict, appended to the numbers in `summary`.
    static func judged(
        test: String, n: Int, statistic: Double, statisticName: String, pValue: Double,
        failThreshold: Double = Thresholds.fail, detectable: String, numbers: String,
        onPass: String, onAmbiguous: String? = nil, onFail: String
    ) -> StatResult {
        let p = pValue.isNaN ? 1 : Swift.min(1, Swift.max(0, pValue))
        let verdict = verdict(pValue: p, failThreshold: failThreshold)
        let words: String
        switch verdict {
        case .pass: words = onPass
        case .ambiguous: words = onAmbiguous ?? "unusual but not conclusive; resample with a larger n"
        case .fail: words = onFail
        }
        return StatResult(
            test: test, n: n, statistic: statistic, statisticName: statisticName, pValue: p,
            failThreshold: failThreshold, verdict: verdict, detectable: detectable,
            summary: "\(numbers), p = \(Format.p(p)), n = \(n): \(words)"
        )
    }

    /// A result for a test that cannot say anything at this n (too few values, one possible
    /// value, ...): a pass with p = 1 that says why.
    static func undecidable(test: String, n: Int, statisticName: String, reason: String) -> StatResult {
        StatResult(
            test: test, n: n, statistic: 0, statisticName: statisticName, pValue: 1,
            verdict: .pass, detectable: "nothing at this n (\(reason))",
            summary: "not testable, n = \(n): \(reason)"
        )
    }
}

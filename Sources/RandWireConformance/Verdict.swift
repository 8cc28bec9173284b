import RandWireProtocol

/// What a run may claim about its target (spec section 11). A verdict never claims more than
/// was judged: conformance needs every applicable required check judged and passed, on a run
/// that was not narrowed and that counts every failure.
package enum Verdict: String, Sendable, Codable, CaseIterable {
    /// Every applicable required check ran, was judged and passed.
    case conformant
    /// No required check failed, but the run makes no conformance claim: it was narrowed with
    /// `--only`/`--skip`, or a failure was excused by `--known-failures`.
    case passed
    /// No required check failed, but some were not judged (run deadline, too few samples, the
    /// server stopped accepting): the run cannot say whether the target conforms.
    case incomplete
    /// A required check failed (a SHOULD too, under `--strict`).
    case notConformant = "not-conformant"
    /// Nothing could be judged: the target could not be reached.
    case unreachable

    /// The process exit code `randwire check` returns for this verdict.
    package var exitCode: Int32 {
        switch self {
        case .conformant, .passed: 0
        case .notConformant: 1
        case .incomplete: 3
        case .unreachable: 69
        }
    }

    /// The word every report shows.
    package var word: String {
        switch self {
        case .conformant: "CONFORMANT"
        case .passed: "PASSED"
        case .incomplete: "INCOMPLETE"
        case .notConformant: "NOT CONFORMANT"
        case .unreachable: "UNREACHABLE"
        }
    }
}

/// The verdict with the one line that justifies it, as every format shows it first.
package struct VerdictAssessment: Sendable, Codable, Hashable {
    package var verdict: Verdict
    /// Why: which checks decided it and how (`2 required checks not judged: random.uniformity
    /// (only 50 valid values were gathered, 80 needed), ...`).
    package var reason: String

    package init(verdict: Verdict, reason: String) {
        self.verdict = verdict
        self.reason = reason
    }

    /// Decides the verdict of a run from its results.
    /// - Parameters:
    ///   - catalogSize: every check of the profile, selected or not, for `1 of 43 checks selected`.
    ///   - narrowed: `--only` or `--skip` was given.
    package static func assess(results: [CheckResult], strict: Bool, unreachable: Bool, narrowed: Bool,
                              unreachableReason: String? = nil) -> VerdictAssessment {
        if unreachable {
            return VerdictAssessment(verdict: .unreachable,
                                     reason: "nothing was judged: " + (unreachableReason ?? "the target could not be reached"))
        }
        let failed = results.filter { $0.status == .fail && !$0.knownFailure }
        if !failed.isEmpty {
            // Root causes first: a consequence adds no fault of its own.
            let roots = failed.filter { $0.consequenceOf == nil }
            let echoes = failed.count - roots.count
            let more = echoes > 0 ? " (and \(count(echoes, "check")) failed as \(echoes == 1 ? "its consequence" : "their consequences"))" : ""
            return VerdictAssessment(verdict: .notConformant,
                                     reason: count(roots.count, "required check") + " failed\(more): " + list(roots) { $0.headline })
        }
        let required = results.filter { $0.level == .must || (strict && $0.level == .should) }
        let unjudged = required.filter { $0.status == .notJudged }
        if !unjudged.isEmpty {
            return VerdictAssessment(verdict: .incomplete,
                                     reason: count(unjudged.count, "required check") + " not judged, so conformance is undecided: "
                                         + list(unjudged) { notJudgedReason($0.message) })
        }
        let known = results.filter { $0.status == .fail && $0.knownFailure }
        let selected = results.filter { $0.status != .skip || !$0.message.hasPrefix(deselectedMessage) }
        var qualifiers: [String] = []
        if narrowed {
            qualifiers.append("\(selected.count) of \(results.count) checks selected (--only/--skip); a narrowed run is not a conformance claim")
        }
        if !known.isEmpty {
            qualifiers.append(count(known.count, "known failure") + " excused by --known-failures: " + known.map(\.id).joined(separator: ", "))
        }
        if !qualifiers.isEmpty {
            return VerdictAssessment(verdict: .passed, reason: qualifiers.joined(separator: "; "))
        }
        let judged = results.filter { $0.status != .skip }.count
        return VerdictAssessment(verdict: .conformant, reason: "every applicable required check was judged and passed (\(judged) judged)")
    }

    /// The skip message of a check that `--only`/`--skip` left out.
    package static let deselectedMessage = "deselected by --only/--skip"

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// `a: why; b: why; and 3 more`: enough to act on, short enough for one line.
    static func list(_ results: [CheckResult], limit: Int = 3, why: (CheckResult) -> String) -> String {
        var parts = results.prefix(limit).map { "\($0.id): \(why($0))" }
        if results.count > limit { parts.append("and \(results.count - limit) more") }
        return parts.joined(separator: "; ")
    }

    static func notJudgedReason(_ message: String) -> String {
        let prefix = "not judged: "
        return message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : message
    }
}

extension CheckResult {
    /// The first finding's message, else the check's message: the one-line reason. A
    /// consequence says whose.
    package var headline: String {
        let reason = findings.first?.message ?? message
        return consequenceOf.map { "consequence of \($0): \(reason)" } ?? reason
    }
}

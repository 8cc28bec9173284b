import RandWireConformance
import RandWireProtocol

/// Gradescope's `results.json`: one test per judged check with `status` always set (a 0/0
/// test would otherwise show as passed), requirement IDs as tags, Markdown evidence, and each
/// check's visibility from the rubric. Skipped checks are left out of `tests` (they are worth
/// 0 of 0) and listed in the top-level `output`.
struct GradescopeReport {
    let report: RunReport
    let score: Score
    let rubric: Rubric

    struct Results: Encodable {
        let score: Double
        let max_score: Double
        let execution_time: Double
        let output: String
        let output_format: String
        let test_output_format: String
        let visibility: String
        let stdout_visibility: String
        let extra_data: Extra
        let tests: [Test]
    }

    struct Extra: Encodable {
        let target: String
        let profile: String
        let conformant: Bool
        let unreachable: Bool
        let passed_threshold: Bool
        let seed: UInt64
    }

    struct Test: Encodable {
        let name: String
        let number: String
        let score: Double
        let max_score: Double
        let status: String
        let output: String
        let output_format: String
        let tags: [String]
        let visibility: String
        let extra_data: TestExtra
    }

    struct TestExtra: Encodable {
        let id: String
        let status: String
        let level: String
        let known_failure: Bool
    }

    func render() -> String {
        let scores = Dictionary(score.checks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let points = RoundedPoints(score.checks)
        var tests: [Test] = []
        for group in SpecSections.grouped(report.results, section: \.section) {
            for (index, result) in group.items.filter({ $0.status != .skip }).enumerated() {
                let checkScore = scores[result.id]
                tests.append(Test(
                    name: "\(result.id): \(result.title)", number: "\(group.section).\(index + 1)",
                    score: points.earned[result.id] ?? 0, max_score: points.possible[result.id] ?? 0,
                    status: result.status == .pass || result.status == .warn ? "passed" : "failed",
                    output: output(result), output_format: "md", tags: result.requirements,
                    visibility: checkScore?.visibility ?? rubric.visibility,
                    extra_data: TestExtra(id: result.id, status: result.status.rawValue, level: result.level.rawValue,
                                          known_failure: result.knownFailure)))
            }
        }
        let results = Results(
            score: points.totalEarned, max_score: points.totalPossible,
            execution_time: (report.durationMilliseconds / 1000 * 100).rounded() / 100,
            output: summary(), output_format: "md", test_output_format: "md",
            visibility: rubric.visibility, stdout_visibility: "hidden",
            extra_data: Extra(target: report.target, profile: report.profile.rawValue, conformant: report.conformant,
                              unreachable: report.unreachable, passed_threshold: score.passedThreshold, seed: report.seed),
            tests: tests)
        return JSONReport.encode(results)
    }

    /// Points to four decimals with no float noise (`100`, never `100.00000000000003`), still
    /// adding up: possible points are apportioned by largest remainder, so the tests sum to the
    /// rounded total (`100`, not `99.9999`); a test that earned all its points earns its rounded
    /// possible points, any other is rounded and never above them. Totals are the tests' sums.
    struct RoundedPoints {
        static let scale = 10_000.0
        var earned: [String: Double] = [:]
        var possible: [String: Double] = [:]
        var totalEarned = 0.0
        var totalPossible = 0.0

        init(_ checks: [CheckScore]) {
            let exact = checks.map { $0.possible * Self.scale }
            var possibleUnits = exact.map { Int(($0 + 1e-6).rounded(.down)) }
            let shortfall = Int(exact.reduce(0, +).rounded()) - possibleUnits.reduce(0, +)
            let byRemainder = exact.indices.sorted { a, b in
                let (ra, rb) = (exact[a] - Double(possibleUnits[a]), exact[b] - Double(possibleUnits[b]))
                return ra != rb ? ra > rb : a < b
            }
            for index in byRemainder.prefix(max(0, shortfall)) { possibleUnits[index] += 1 }
            var earnedTotal = 0
            var possibleTotal = 0
            for (check, units) in zip(checks, possibleUnits) where possible[check.id] == nil {
                let earnedUnits = check.earned >= check.possible ? units : min(Int((check.earned * Self.scale).rounded()), units)
                earned[check.id] = Double(earnedUnits) / Self.scale
                possible[check.id] = Double(units) / Self.scale
                earnedTotal += earnedUnits
                possibleTotal += units
            }
            totalEarned = Double(earnedTotal) / Self.scale
            totalPossible = Double(possibleTotal) / Self.scale
        }
    }

    func summary() -> String {
        let md = TextEscaping.markdownInline
        var lines = [
            "**\(report.verdictWord)**: \(md(report.verdictReason))",
            "",
            "\(md(report.target)), profile \(report.profile.rawValue) (\(md(report.parametersLine)))",
            "",
            "\(report.countsLine); score \(NumberText.trimmed(score.earned))/\(NumberText.trimmed(score.possible))",
        ]
        let skipped = report.results.filter { $0.status == .skip }
        if !skipped.isEmpty {
            lines.append("")
            lines.append("Skipped: " + skipped.map { md($0.id) }.joined(separator: ", "))
        }
        for warning in report.warnings {
            lines.append("")
            lines.append("Note: " + md(warning))
        }
        return lines.joined(separator: "\n")
    }

    func output(_ result: CheckResult) -> String {
        let md = TextEscaping.markdownInline
        let word: String
        switch result.status {
        case .pass: word = "Passed"
        case .fail: word = result.knownFailure ? "Failed (known failure)" : "Failed"
        case .warn: word = "Warning"
        case .skip: word = "Skipped"
        case .notJudged: word = "Not judged"
        }
        var text = "**\(word)** (\(result.level.rawValue)): \(md(result.headline))"
        let lines: [String]
        if result.status == .pass {
            lines = result.statistics.map { TextEscaping.terminal($0.summary) }
        } else {
            lines = Evidence(result).plainLines
        }
        if !lines.isEmpty {
            let body = lines.joined(separator: "\n")
            let fence = TextEscaping.markdownFence(for: body)
            text += "\n\n\(fence)text\n\(body)\n\(fence)"
        }
        return text
    }
}

import RandWireConformance
import RandWireProtocol

/// The terminal report: header, checks grouped by spec section with evidence under each
/// failure, and the summary last (h2spec #62: the verdict must not scroll away).
struct HumanReport {
    let report: RunReport
    let score: Score
    let options: ReportOptions

    enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33"
    }

    func paint(_ text: String, _ style: Style) -> String {
        options.color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    func render() -> String {
        var lines = [paint(TextEscaping.terminal(report.verdictLine), verdictStyle)] + header()
        if report.unreachable {
            // A list of checks that all say "not judged" would bury the one fact that matters.
            lines.append("")
            lines.append("\(report.results.count) checks not judged")
            lines.append(contentsOf: warningLines())
            lines.append("")
            lines.append(summaryLine())
            return lines.joined(separator: "\n") + "\n"
        }
        for group in SpecSections.grouped(report.results, section: \.section) {
            lines.append("")
            lines.append(paint(SpecSections.heading(group.section), .bold))
            for result in group.items {
                lines.append(statusLine(result))
                lines.append(contentsOf: details(result).map { "      " + $0 })
            }
        }
        lines.append(contentsOf: warningLines())
        lines.append(contentsOf: closingLines())
        return lines.joined(separator: "\n") + "\n"
    }

    /// `failed: a, b` and the summary line: the end of every human report.
    func closingLines() -> [String] {
        var lines: [String] = []
        let failed = report.results.filter { $0.status == .fail && !$0.knownFailure }
        if !failed.isEmpty {
            lines.append("")
            lines.append("failed: " + failed.map(\.id).joined(separator: ", "))
        }
        lines.append("")
        lines.append(summaryLine())
        return lines
    }

    func renderSummary() -> String {
        ([paint(TextEscaping.terminal(report.verdictLine), verdictStyle)] + closingLines()).joined(separator: "\n") + "\n"
    }

    func warningLines() -> [String] {
        guard !report.warnings.isEmpty else { return [] }
        return [""] + report.warnings.map { paint("note: ", .yellow) + TextEscaping.terminal($0) }
    }

    var verdictStyle: Style {
        switch report.verdict {
        case .conformant, .passed: .green
        case .incomplete: .yellow
        case .notConformant, .unreachable: .red
        }
    }

    func header() -> [String] {
        [
            "randwire \(report.toolVersion) check of \(TextEscaping.terminal(report.target))",
            "profile \(report.profile.rawValue) (seed \(report.profile.seed)): \(TextEscaping.terminal(report.parametersLine))",
            "seed \(report.seed), strict \(report.strict ? "on" : "off"), started \(TextEscaping.terminal(report.startedAt)), took \(NumberText.duration(milliseconds: report.durationMilliseconds))",
        ]
    }

    /// `12 passed, 1 failed, 2 warnings, 3 skipped, 0 not judged; score 38/40; NOT CONFORMANT`.
    func summaryLine() -> String {
        "\(report.countsLine); score \(score.fraction); " + paint(report.verdictWord, verdictStyle)
    }

    func symbol(_ result: CheckResult) -> String {
        switch result.status {
        case .pass: paint("✔", .green)
        case .fail: result.knownFailure ? paint("✖", .yellow) : paint("✖", .red)
        case .warn: paint("⚠", .yellow)
        case .skip: paint("−", .dim)
        case .notJudged: paint("?", .yellow)
        }
    }

    func statusLine(_ result: CheckResult) -> String {
        var line = "  \(symbol(result)) \(TextEscaping.terminal(result.id))"
        if !result.requirements.isEmpty { line += "  " + result.requirementTag }
        line += "  " + TextEscaping.terminal(result.title)
        switch result.status {
        case .skip: line += paint(" — " + TextEscaping.terminal(result.message), .dim)
        case .fail where result.knownFailure: line += paint(" (known failure)", .yellow)
        case .warn: line += paint(" (\(result.level.rawValue), not required)", .dim)
        default: break
        }
        return line
    }

    func details(_ result: CheckResult) -> [String] {
        let evidence = Evidence(result)
        switch result.status {
        case .skip:
            return []
        case .pass where !options.showPassingDetails:
            return evidence.statistics.map { paint(TextEscaping.terminal($0), .dim) }
        case .notJudged where result.transcripts.isEmpty && result.findings.isEmpty:
            return [TextEscaping.terminal(result.message)]
        default:
            return evidence.plainLines.map { line in
                line.hasPrefix("    ") ? paint(line, .dim) : line
            }
        }
    }
}

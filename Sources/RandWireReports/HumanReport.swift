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
        lines.append(contentsOf: rootCauseLines())
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

    /// The faults themselves, before the list of checks: each failed check that is not an echo
    /// of another, and the checks that failed only because of it.
    func rootCauseLines() -> [String] {
        let roots = report.results.filter { $0.status == .fail && $0.consequenceOf == nil && !$0.knownFailure }
        guard !roots.isEmpty else { return [] }
        var lines = ["", paint("root cause\(roots.count == 1 ? "" : "s")", .bold)]
        for root in roots {
            let finding = root.findings.first { $0.level == .must } ?? root.findings.first
            let tag = finding.map { "\($0.requirement): " } ?? ""
            lines.append("  \(symbol(root)) \(TextEscaping.terminal(root.id))  " + TextEscaping.terminal(tag + root.headline))
            let echoes = report.results.filter { $0.consequenceOf == root.id }.map(\.id)
            if !echoes.isEmpty {
                let shown = echoes.prefix(6).joined(separator: ", ") + (echoes.count > 6 ? ", and \(echoes.count - 6) more" : "")
                lines.append("      and \(echoes.count) other check\(echoes.count == 1 ? "" : "s") failed because of this: " + TextEscaping.terminal(shown))
            }
        }
        return lines
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
        case .fail where result.consequenceOf != nil: line += paint(" — consequence of \(TextEscaping.terminal(result.consequenceOf ?? ""))", .dim)
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
        case .fail where result.consequenceOf != nil && !options.showPassingDetails:
            // Its evidence is its root's; the JSON report and --verbose keep it.
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

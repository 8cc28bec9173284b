import RandWireConformance
import RandWireProtocol

/// TAP, headed `TAP version 13` so that `prove` (TAP::Harness 3.x, which rejects a version
/// above 13) reads it; the body uses only what TAP 13 and TAP 14 share, so TAP 14 consumers
/// read it too. One test point per check and a YAML diagnostics block for anything that did
/// not plainly pass. Mapping: pass → `ok`; warn → `ok` with `severity: warn`; skip →
/// `ok … # SKIP reason`; fail → `not ok`; known failure → `not ok … # TODO known failure`;
/// not-judged → `not ok` with `severity: not-judged`.
struct TAPReport {
    let report: RunReport
    let score: Score
    let options: ReportOptions

    func render() -> String {
        var lines = ["TAP version 13", "1..\(report.results.count)"]
        lines.append("# " + TextEscaping.terminal(report.verdictLine))
        lines.append("# randwire \(report.toolVersion) check of \(TextEscaping.terminal(report.target))")
        lines.append("# profile \(report.profile.rawValue): \(TextEscaping.terminal(report.parametersLine)); seed \(report.seed); strict \(report.strict ? "on" : "off")")
        for (index, result) in report.results.enumerated() {
            lines.append(testPoint(result, number: index + 1))
            if wantsDiagnostics(result) {
                lines.append(contentsOf: diagnostics(result).map { "  " + $0 })
            }
        }
        for warning in report.warnings {
            lines.append("# note: " + TextEscaping.terminal(warning))
        }
        lines.append("# \(report.countsLine); score \(score.fraction); \(report.verdictWord)")
        return lines.joined(separator: "\n") + "\n"
    }

    func testPoint(_ result: CheckResult, number: Int) -> String {
        let ok = result.status == .pass || result.status == .warn || result.status == .skip
        var description = result.id
        if !result.requirements.isEmpty { description += " " + result.requirementTag }
        description += " " + result.title
        if result.status == .warn { description += " (warning: \(result.level.rawValue) not met)" }
        if let root = result.consequenceOf { description += " (consequence of \(root))" }
        var line = "\(ok ? "ok" : "not ok") \(number) - \(TextEscaping.tapDescription(description))"
        if result.status == .skip {
            line += " # SKIP " + TextEscaping.tapDescription(result.message)
        } else if result.status == .fail && result.knownFailure {
            line += " # TODO known failure"
        }
        return line
    }

    func wantsDiagnostics(_ result: CheckResult) -> Bool {
        switch result.status {
        case .skip: false
        case .pass: options.showPassingDetails || result.isStatistical
        case .fail, .warn, .notJudged: true
        }
    }

    func severity(_ result: CheckResult) -> String {
        switch result.status {
        case .pass: "pass"
        case .fail: result.knownFailure ? "known-failure" : "fail"
        case .warn: "warn"
        case .skip: "skip"
        case .notJudged: "not-judged"
        }
    }

    /// The YAML block, `---` to `...`, with every scalar quoted so no message can break it.
    func diagnostics(_ result: CheckResult) -> [String] {
        let q = TextEscaping.yamlScalar
        let evidence = Evidence(result)
        var yaml = ["---"]
        yaml.append("message: " + q(result.message))
        yaml.append("severity: " + q(severity(result)))
        yaml.append("level: " + q(result.level.rawValue))
        yaml.append("requirements: [" + result.requirements.map(q).joined(separator: ", ") + "]")
        if let expected = result.expected { yaml.append("expected: " + q(expected)) }
        if let first = evidence.connections.first {
            if let sent = first.sent { yaml.append("sent: " + q(sent)) }
            yaml.append("got: " + q(first.received))
            if let port = first.localPort { yaml.append("port: \(port)") }
            yaml.append("at: " + q(NumberText.duration(milliseconds: first.elapsedMilliseconds)))
            if let ending = first.ending { yaml.append("ended: " + q(ending)) }
        }
        if evidence.connections.count > 1 || evidence.omittedConnections > 0 {
            yaml.append("connections: \(result.transcripts.count)")
        }
        if !evidence.findings.isEmpty {
            yaml.append("findings:")
            for finding in evidence.findings {
                yaml.append("  - requirement: " + q(finding.requirement))
                yaml.append("    level: " + q(finding.level))
                yaml.append("    message: " + q(finding.message))
                if let summary = finding.summary { yaml.append("    text: " + q(summary)) }
            }
        }
        if !result.statistics.isEmpty {
            yaml.append("statistics:")
            for stat in result.statistics {
                yaml.append("  - test: " + q(stat.test))
                yaml.append("    n: \(stat.n)")
                yaml.append("    statistic: " + q(stat.statisticName + " = " + NumberText.significant(stat.statistic)))
                yaml.append("    p: " + q(NumberText.significant(stat.pValue)))
                yaml.append("    threshold: " + q(NumberText.significant(stat.failThreshold)))
                yaml.append("    verdict: " + q(stat.verdict.rawValue))
                yaml.append("    detectable: " + q(stat.detectable))
                yaml.append("    summary: " + q(stat.summary))
            }
        }
        yaml.append("duration_ms: " + NumberText.trimmed(result.durationMilliseconds, places: 1))
        yaml.append("...")
        return yaml
    }
}

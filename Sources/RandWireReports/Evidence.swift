import RandWireConformance
import RandWireProtocol

/// What a report shows about one check beyond its status line: the same facts, in the same
/// order, in every format (h2spec's `Expected/Actual`, with the source port of PR #114).
struct Evidence {
    /// One connection: what was sent and received, from which local port, for how long.
    struct Connection {
        let localPort: UInt16?
        let sent: String?
        let received: String
        let elapsedMilliseconds: Double
        /// How the connection ended: `EOF`, `reset`, `timeout`, ... (nil when the transcript stops).
        let ending: String?
    }

    struct FindingLine {
        let requirement: String
        let level: String
        let message: String
        /// The check whose finding this one echoes.
        let consequenceOf: String?
        /// The requirement's one-line summary from the requirement table.
        let summary: String?
    }

    /// How many connections a report spells out; the JSON report keeps them all.
    static let connectionLimit = 3

    let message: String
    let expected: String?
    let findings: [FindingLine]
    let connections: [Connection]
    let omittedConnections: Int
    let statistics: [String]
    let durationMilliseconds: Double
    /// A client check: the harness played the server, so what it "sent" was served to the
    /// client, and what the client printed and how it ended close the evidence.
    let judgesClient: Bool
    let clientOutcome: String?

    init(_ result: CheckResult) {
        judgesClient = result.judgesClient
        clientOutcome = judgesClient
            ? result.transcripts.first?.events.last { $0.kind == .note && ($0.text ?? "").hasPrefix("client printed") }?.text
            : nil
        message = result.message
        expected = result.expected
        findings = result.findings.map {
            FindingLine(requirement: $0.requirement, level: $0.level.rawValue, message: $0.message, consequenceOf: $0.consequenceOf,
                        summary: Requirements.requirement($0.requirement)?.summary)
        }
        connections = result.transcripts.prefix(Self.connectionLimit).map(Self.connection)
        omittedConnections = max(0, result.transcripts.count - Self.connectionLimit)
        // A failed statistic's summary is already its finding's message: say it once.
        let findingMessages = Set(result.findings.map(\.message))
        let labelled = result.statistics.count > 1
        statistics = result.statistics.enumerated().compactMap { index, stat in
            guard !findingMessages.contains(stat.summary) else { return nil }
            guard labelled else { return stat.summary }
            return (index == 0 ? "first sample: " : "fresh sample: ") + stat.summary
        }
        durationMilliseconds = result.durationMilliseconds
    }

    static func connection(_ transcript: Transcript) -> Connection {
        let sent = transcript.events.contains { $0.kind == .sent } ? transcript.sentText : nil
        let endings: Set<TranscriptEvent.Kind> = [.eof, .reset, .timeout, .close, .abort, .error]
        let ending = transcript.events.last { endings.contains($0.kind) }.map { event -> String in
            let name = event.kind == .eof ? "EOF" : event.kind.rawValue
            if let text = event.text, event.kind == .error || event.kind == .abort { return "\(name): \(text)" }
            return name
        }
        return Connection(localPort: transcript.localPort, sent: sent, received: transcript.receivedText,
                          elapsedMilliseconds: transcript.events.last?.atMilliseconds ?? 0, ending: ending)
    }

    /// The message, unless the statistics or the only finding already say the same.
    var messageIfDistinct: String? {
        if message.isEmpty || statistics.contains(where: { $0.hasSuffix(message) }) { return nil }
        if findings.count == 1 && findings[0].message == message { return nil }
        return message
    }

    /// `port 53211, 12.3 ms, ended by EOF`.
    static func describe(_ connection: Connection) -> String {
        var parts: [String] = []
        if let port = connection.localPort { parts.append("port \(port)") }
        parts.append(NumberText.duration(milliseconds: connection.elapsedMilliseconds))
        if let ending = connection.ending { parts.append("ended by \(ending)") }
        return parts.joined(separator: ", ")
    }

    /// The evidence as plain lines: JUnit bodies, Markdown fences, `--verbose` human output.
    var plainLines: [String] {
        var lines: [String] = []
        if let message = messageIfDistinct { lines.append(message) }
        if let first = connections.first {
            if judgesClient {
                if let sent = first.sent { lines.append("served:   \(sent)") }
                lines.append("client sent: \(first.received)")
                if let clientOutcome { lines.append("client:   " + clientOutcome.dropFirst("client ".count)) }
            } else {
                if let sent = first.sent { lines.append("sent:     \(sent)") }
                lines.append("received: \(first.received)")
            }
        }
        if let expected { lines.append("expected: \(expected)") }
        for finding in findings {
            let echo = finding.consequenceOf.map { ", consequence of \($0)" } ?? ""
            lines.append("\(finding.requirement) (\(finding.level)\(echo)): \(finding.message)")
            if let summary = finding.summary { lines.append("    \(finding.requirement): \(summary)") }
        }
        if let first = connections.first { lines.append(Self.describe(first)) }
        for (index, connection) in connections.enumerated().dropFirst() {
            var line = "connection \(index + 1): "
            if let sent = connection.sent { line += "sent \(sent), " }
            line += "received \(connection.received); \(Self.describe(connection))"
            lines.append(line)
        }
        if omittedConnections > 0 {
            lines.append("(\(omittedConnections) more connection\(omittedConnections == 1 ? "" : "s") in the JSON report)")
        }
        lines.append(contentsOf: statistics)
        if connections.isEmpty && durationMilliseconds > 0 {
            lines.append("took \(NumberText.duration(milliseconds: durationMilliseconds))")
        }
        return lines.map(TextEscaping.terminal)
    }
}

extension CheckResult {
    /// A statistical check that passed only on the fresh sample (or stayed ambiguous): the
    /// case `partialCredit.statistical` prices.
    var passedAfterAmbiguity: Bool {
        status == .pass && statistics.contains { $0.verdict == .ambiguous }
    }

    var isStatistical: Bool { !statistics.isEmpty }

    /// `[CORE-3, CORE-9]` for status lines.
    var requirementTag: String { requirements.isEmpty ? "" : "[" + requirements.joined(separator: ", ") + "]" }
}

extension RunReport {
    /// `CONFORMANT`, `PASSED`, `INCOMPLETE`, `NOT CONFORMANT` or `UNREACHABLE`.
    var verdictWord: String { verdict.word }

    /// `INCOMPLETE: 9 required checks not judged, ...`: the verdict and its reason, one line,
    /// the first thing every format shows.
    var verdictLine: String { "\(verdict.word): \(verdictReason)" }

    /// `12 passed, 1 failed, 2 warnings, 3 skipped, 0 not judged` (+ known failures when any).
    var countsLine: String {
        let s = summary
        var line = "\(s.passed) passed, \(s.failed) failed, \(s.warnings) warning\(s.warnings == 1 ? "" : "s"), \(s.skipped) skipped, \(s.notJudged) not judged"
        if s.knownFailures > 0 { line += ", \(s.knownFailures) known failure\(s.knownFailures == 1 ? "" : "s")" }
        if s.consequences > 0 { line += ", \(s.consequences) failed as consequence\(s.consequences == 1 ? "" : "s")" }
        return line
    }

    /// The profile parameters that matter for this profile: `min 10, max 20`.
    var parametersLine: String {
        let p = parameters
        switch profile {
        case .bare, .request: return "min \(p.min), max \(p.max)"
        case .csv: return "min \(p.min), max \(p.max), count \(p.count)"
        case .parity: return "tokens \(p.tokens.argument), too-long \(p.tooLongMode.rawValue)"
        case .double: return "error token \(p.tokens.error)"
        }
    }
}

extension Score {
    /// `38/40`, or `38.5/40`.
    var fraction: String { NumberText.trimmed(earned) + "/" + NumberText.trimmed(possible) }
}

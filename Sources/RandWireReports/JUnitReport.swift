#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireConformance
import RandWireProtocol

/// JUnit XML in the shape the surefire and Jenkins schemas accept: `testsuites` > one
/// `testsuite` per spec section > `testcase name classname time`, with
/// fail → `failure`, not-judged → `error`, skip and known failures → `skipped`, and
/// warn → a passing test case whose `system-out` carries the warning.
struct JUnitReport {
    let report: RunReport
    let score: Score

    func render() -> String {
        let results = report.results
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        lines.append("<testsuites name=\"randwire\" tests=\"\(results.count)\" failures=\"\(count(results, .failure))\" errors=\"\(count(results, .error))\" skipped=\"\(count(results, .skipped))\" time=\"\(seconds(report.durationMilliseconds))\">")
        for group in SpecSections.grouped(results, section: \.section) {
            let items = group.items
            let time = items.reduce(0) { $0 + $1.durationMilliseconds }
            lines.append("  <testsuite name=\(attribute(SpecSections.heading(group.section))) tests=\"\(items.count)\" failures=\"\(count(items, .failure))\" errors=\"\(count(items, .error))\" skipped=\"\(count(items, .skipped))\" time=\"\(seconds(time))\">")
            lines.append(contentsOf: properties())
            for result in items {
                lines.append(contentsOf: testcase(result, section: group.section))
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    enum Outcome { case passed, failure, error, skipped }

    static func outcome(_ result: CheckResult) -> Outcome {
        switch result.status {
        case .pass, .warn: .passed
        case .fail: result.knownFailure ? .skipped : .failure
        case .notJudged: .error
        case .skip: .skipped
        }
    }

    func count(_ results: [CheckResult], _ outcome: Outcome) -> Int {
        results.count { Self.outcome($0) == outcome }
    }

    func properties() -> [String] {
        var entries: [(String, String)] = [
            ("target", report.target), ("profile", report.profile.rawValue), ("parameters", report.parametersLine),
            ("seed", String(report.seed)), ("strict", String(report.strict)), ("startedAt", report.startedAt),
            ("score", score.fraction), ("verdict", report.verdictWord), ("verdictReason", report.verdictReason),
            ("randwire", report.toolVersion),
        ]
        entries += report.warnings.enumerated().map { ("warning.\($0.offset + 1)", $0.element) }
        return ["    <properties>"] + entries.map { "      <property name=\(attribute($0.0)) value=\(attribute($0.1))/>" } + ["    </properties>"]
    }

    /// `randwire.<profile>.<section>`, the section's dots as underscores so CI tools that split
    /// class names into packages show one node per section (`randwire.parity.6_4`).
    func className(section: String) -> String {
        "randwire.\(report.profile.rawValue).\(section.replacing(".", with: "_"))"
    }

    func testcase(_ result: CheckResult, section: String) -> [String] {
        let open = "    <testcase name=\(attribute(result.id)) classname=\(attribute(className(section: section))) time=\"\(seconds(result.durationMilliseconds))\""
        let body = ([TextEscaping.terminal(result.title), result.requirementTag] + Evidence(result).plainLines)
            .filter { !$0.isEmpty }.joined(separator: "\n")
        var children: [String] = []
        switch Self.outcome(result) {
        case .failure:
            children.append("      <failure message=\(attribute(result.headline)) type=\"\(result.level.rawValue)\">\(text(body))</failure>")
        case .error:
            children.append("      <error message=\(attribute(result.headline)) type=\"not-judged\">\(text(body))</error>")
        case .skipped:
            let reason = result.knownFailure ? "known failure: " + result.headline : result.message
            children.append("      <skipped message=\(attribute(reason))/>")
            if result.knownFailure { children.append("      <system-out>\(text(body))</system-out>") }
        case .passed:
            if result.status == .warn {
                children.append("      <system-out>\(text("WARNING (\(result.level.rawValue), not required): " + body))</system-out>")
            } else if result.isStatistical {
                children.append("      <system-out>\(text(result.statistics.map(\.summary).joined(separator: "\n")))</system-out>")
            }
        }
        if children.isEmpty { return [open + "/>"] }
        return [open + ">"] + children + ["    </testcase>"]
    }

    func attribute(_ value: String) -> String { "\"" + TextEscaping.xml(value) + "\"" }

    /// Element text: LF stays a real line break (it survives parsing), the rest as `attribute`.
    func text(_ value: String) -> String { TextEscaping.xml(value).replacing("&#10;", with: "\n") }

    func seconds(_ milliseconds: Double) -> String { NumberText.fixed(max(0, milliseconds) / 1000, places: 3) }
}

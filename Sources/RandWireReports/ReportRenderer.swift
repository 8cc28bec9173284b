#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireConformance
import RandWireProtocol

/// The report formats of `randwire check --format`.
package enum ReportFormat: String, Sendable, CaseIterable {
    /// Grouped by spec section, failures with their evidence, the summary line last.
    case human
    /// The run report plus its score (`Spec/report.schema.json`).
    case json
    /// JUnit XML for CI (Jenkins, GitLab, GitHub test reporters).
    case junit
    /// TAP with YAML diagnostics, headed `TAP version 13` so `prove` 3.x reads it; valid TAP 14 input too.
    case tap
    /// Gradescope's `results.json`.
    case gradescope
    /// One self-contained page: the verdict first, timelines per connection, charts of the
    /// random samples; inline CSS and SVG, no script, nothing fetched.
    case html
}

package struct ReportOptions: Sendable {
    /// ANSI colour in the human format. The CLI decides (TTY, `NO_COLOR`); reports never guess.
    package var color: Bool = false
    /// Prices checks for the score every format shows.
    package var rubric: Rubric = .default
    /// Show evidence for passing checks too (human and TAP), as `--verbose` asks.
    package var showPassingDetails = false

    package init() {}
}

package enum ReportRenderer {
    /// The report in `format`, ending with a newline.
    package static func render(_ report: RunReport, format: ReportFormat, options: ReportOptions) -> String {
        let score = options.rubric.score(report)
        switch format {
        case .human: return HumanReport(report: report, score: score, options: options).render()
        case .json: return JSONReport.render(report, score: score)
        case .junit: return JUnitReport(report: report, score: score).render()
        case .tap: return TAPReport(report: report, score: score, options: options).render()
        case .gradescope: return GradescopeReport(report: report, score: score, rubric: options.rubric).render()
        case .html: return HTMLReport(report: report, score: score).render()
        }
    }

    /// Several runs (`check --self`) in one document: a JSON array, one HTML page, or the
    /// reports one after another.
    package static func render(_ reports: [RunReport], format: ReportFormat, options: ReportOptions) -> String {
        if reports.count == 1 { return render(reports[0], format: format, options: options) }
        switch format {
        case .json:
            let items = reports.map { render($0, format: .json, options: options).trimmingWhitespace() }
            return "[\n" + items.joined(separator: ",\n") + "\n]\n"
        case .html:
            return HTMLReport.page(reports.map { ($0, options.rubric.score($0)) })
        default:
            return reports.map { render($0, format: format, options: options) }.joined(separator: "\n")
        }
    }

    /// The few lines a terminal needs when the full report went to a file: the verdict with its
    /// reason, the failed checks, and the summary line.
    package static func renderSummary(_ report: RunReport, options: ReportOptions) -> String {
        HumanReport(report: report, score: options.rubric.score(report), options: options).renderSummary()
    }

    /// `randwire check --list` in human form: ID, level, requirement IDs, description, grouped by
    /// spec section. With `json`, `{"profile": ..., "checks": [{id, title, level, requirements,
    /// section, profiles, origin}]}`.
    package static func renderList(_ definitions: [CheckDefinition], profile: String, json: Bool) -> String {
        if json { return CheckList.json(definitions, profile: profile) }
        return CheckList.human(definitions, profile: profile)
    }
}

enum CheckList {
    struct Entry: Encodable {
        let id: String
        let title: String
        let level: RequirementLevel
        let requirements: [String]
        let section: String
        let profiles: [Profile]
        let origin: String
    }

    struct Root: Encodable {
        let profile: String
        let checks: [Entry]
    }

    static func json(_ definitions: [CheckDefinition], profile: String) -> String {
        let entries = definitions.map {
            Entry(id: $0.id, title: $0.title, level: $0.level, requirements: $0.requirements, section: $0.section,
                  profiles: $0.profiles, origin: $0.origin)
        }
        return JSONReport.encode(Root(profile: profile, checks: entries))
    }

    static func human(_ definitions: [CheckDefinition], profile: String) -> String {
        var lines = ["\(definitions.count) check\(definitions.count == 1 ? "" : "s") for profile \(profile)"]
        let idWidth = min(40, definitions.map(\.id.count).max() ?? 0)
        let requirementWidth = min(28, definitions.map { $0.requirements.joined(separator: ",").count }.max() ?? 0)
        for group in SpecSections.grouped(definitions, section: \.section) {
            lines.append("")
            lines.append(SpecSections.heading(group.section))
            for definition in group.items {
                let id = pad(definition.id, idWidth)
                let level = pad(definition.level.rawValue, 6)
                let requirements = pad(definition.requirements.joined(separator: ","), requirementWidth)
                var line = "  \(id)  \(level)  \(requirements)  \(definition.title)"
                if definition.origin != "builtin" { line += "  (\(definition.origin))" }
                lines.append(TextEscaping.terminal(line))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

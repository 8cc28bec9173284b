#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireConformance
import RandWireProtocol
import RandWireReports

/// `summary.html`: one self-contained page (inline CSS, no JavaScript, no external resources)
/// a teacher can open offline: the grade table with every check's outcome, a pass-rate bar per
/// check, and for each student exactly what was run and how start-up went.
package enum SummaryPage {
    /// `reportFiles[i]`: the report file names written for student `i` (links), may be empty.
    package static func html(_ result: ClassResult, reportFiles: [[String]] = []) -> String {
        let checks = GradesTable.checkColumns(result)
        let titles = checkTitles(result)
        var page = SVGChart.pageHead(title: "RandWire grades: \(result.grades.count) students", css: css + SVGChart.css)
        page += """
        <header>
        <h1>RandWire grades</h1>
        <p class="meta">\(TextEscaping.html(result.summaryLine)), \(result.configuration.jobs) at a time; graded \(TextEscaping.html(Date.now.formatted(.iso8601))) by randwire \(RandWireVersion.current).</p>
        <ul class="counts">
        """
        for status in GradeStatus.allCases {
            page += "<li class=\"badge \(status.rawValue)\">\(result.count(status)) \(TextEscaping.html(status.label.lowercased()))</li>"
        }
        page += "</ul>\n</header>\n"
        page += scoreHistogram(result)
        page += gradeTable(result, checks: checks, titles: titles, reportFiles: reportFiles)
        page += legend
        page += passRates(result, checks: checks, titles: titles)
        page += details(result, reportFiles: reportFiles)
        page += "</body>\n</html>\n"
        return page
    }

    // MARK: - Sections

    /// The class's scores as a share of the points possible, in ten bands of 10 %.
    static func scoreHistogram(_ result: ClassResult) -> String {
        var counts = [Int](repeating: 0, count: 10)
        for grade in result.grades {
            let share = grade.score.possible > 0 ? grade.score.earned / grade.score.possible : 0
            counts[min(9, max(0, Int((share * 10).rounded(.down))))] += 1
        }
        let bars = counts.enumerated().map { band, count in
            let range = band == 9 ? "90–100 %" : "\(band * 10)–\(band * 10 + 9) %"
            return (value: Double(count), label: "\(band * 10)", tip: "\(range): \(count) student\(count == 1 ? "" : "s")")
        }
        let chart = SVGChart.bars(bars, title: "Scores of \(result.grades.count) students", xTitle: "score, % of the points possible", yTitle: "students")
        return "<h2 id=\"scores\">Scores</h2>\n<figure class=\"scores\">\(chart)</figure>\n"
    }

    /// The student's HTML report when `grade --format html` wrote one.
    static func htmlReport(_ index: Int, _ reportFiles: [[String]]) -> String? {
        index < reportFiles.count ? reportFiles[index].first { $0.hasSuffix(".html") } : nil
    }

    static func gradeTable(_ result: ClassResult, checks: [String], titles: [String: String], reportFiles: [[String]]) -> String {
        var html = "<h2 id=\"grades\">Grades</h2>\n<div class=\"scroll\">\n<table class=\"grades\">\n<thead><tr>"
        html += "<th class=\"left\">Student</th><th class=\"left\">Profile</th><th>Score</th>"
        html += "<th title=\"Cleared the rubric's pass threshold (default: every MUST point)\">Pass</th><th class=\"left\">Status</th>"
        for check in checks {
            html += "<th class=\"check\" title=\"\(TextEscaping.html(titles[check] ?? check))\"><span>\(TextEscaping.html(check))</span></th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for (index, grade) in result.grades.enumerated() {
            var outcomes: [String: CheckResult] = [:]
            for check in grade.report.results { outcomes[check.id] = check }
            let link = htmlReport(index, reportFiles).map(percentEncode) ?? "#student-\(index + 1)"
            html += "<tr><th class=\"left\" scope=\"row\"><a href=\"\(TextEscaping.html(link))\">\(TextEscaping.html(grade.student))</a>\(roleTag(grade))</th>"
            html += "<td class=\"left\">\(grade.entry.profile.rawValue)</td>"
            html += "<td class=\"num\">\(Points.text(grade.score.earned))/\(Points.text(grade.score.possible))</td>"
            html += grade.score.passedThreshold ? "<td class=\"c pass\">yes</td>" : "<td class=\"c fail\">no</td>"
            html += "<td class=\"left\"><span class=\"badge \(grade.status.rawValue)\">\(TextEscaping.html(grade.status.rawValue))</span></td>"
            for check in checks {
                guard let outcome = outcomes[check] else {
                    html += "<td class=\"c na\" title=\"\(TextEscaping.html(check)): not part of the \(grade.entry.profile.rawValue) profile\"></td>"
                    continue
                }
                let tip = "\(check): \(outcome.status.rawValue) — \(outcome.message)"
                html += "<td class=\"c \(outcome.status.rawValue)\" title=\"\(TextEscaping.html(tip))\">\(symbol(outcome.status))</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n</div>\n"
        return html
    }

    static let legend = """
    <p class="legend"><span class="c pass">✔</span> pass <span class="c warn">⚠</span> warn (a SHOULD not met) \
    <span class="c fail">✖</span> fail <span class="c not-judged">?</span> not judged \
    <span class="c skip">–</span> skipped <span class="c na"></span> not in the profile. \
    Hover a cell for the check's message; each student's report file has the evidence.</p>

    """

    static func passRates(_ result: ClassResult, checks: [String], titles: [String: String]) -> String {
        var html = "<h2 id=\"pass-rates\">Pass rate per check</h2>\n<div class=\"scroll\">\n<table class=\"bars\">\n"
        for check in checks {
            var counts: [CheckStatus: Int] = [:]
            for grade in result.grades {
                if let outcome = grade.report.results.first(where: { $0.id == check }) { counts[outcome.status, default: 0] += 1 }
            }
            let attempted = [CheckStatus.pass, .warn, .fail, .notJudged].reduce(0) { $0 + (counts[$1] ?? 0) }
            let passed = counts[.pass] ?? 0
            html += "<tr><th class=\"left\" title=\"\(TextEscaping.html(titles[check] ?? check))\">\(TextEscaping.html(check))</th><td class=\"bar-cell\"><div class=\"bar\">"
            if attempted > 0 {
                for status in [CheckStatus.pass, .warn, .fail, .notJudged] {
                    let n = counts[status] ?? 0
                    guard n > 0 else { continue }
                    let width = percent(Double(n) / Double(attempted))
                    html += "<span class=\"\(status.rawValue)\" style=\"width:\(width)%\" title=\"\(n) \(status.rawValue)\"></span>"
                }
            }
            html += "</div></td><td class=\"num\">"
            if attempted > 0 {
                html += "\(passed)/\(attempted) pass (\(Int((Double(passed) / Double(attempted) * 100).rounded())) %)"
                let others = [CheckStatus.warn, .fail, .notJudged].compactMap { status -> String? in
                    let n = counts[status] ?? 0
                    return n == 0 ? nil : "\(n) \(status.rawValue)"
                }
                if !others.isEmpty { html += "<span class=\"others\">; \(others.joined(separator: ", "))</span>" }
            } else {
                html += "skipped for everyone"
            }
            html += "</td></tr>\n"
        }
        return html + "</table>\n</div>\n"
    }

    static func details(_ result: ClassResult, reportFiles: [[String]]) -> String {
        var html = "<h2 id=\"runs\">What was run</h2>\n"
        for (index, grade) in result.grades.enumerated() {
            html += "<section class=\"student\" id=\"student-\(index + 1)\">\n"
            let name = htmlReport(index, reportFiles).map { "<a href=\"\(TextEscaping.html(percentEncode($0)))\">\(TextEscaping.html(grade.student))</a>" }
            html += "<h3>\(name ?? TextEscaping.html(grade.student))\(roleTag(grade)) <span class=\"badge \(grade.status.rawValue)\">\(TextEscaping.html(grade.status.rawValue))</span> "
            html += "<span class=\"score\">\(Points.text(grade.score.earned))/\(Points.text(grade.score.possible))</span></h3>\n<dl>\n"
            html += "<dt>Profile</dt><dd>\(TextEscaping.html(describe(grade.entry.parameters)))\(grade.entry.options.isEmpty ? "" : " (roster options <code>\(TextEscaping.html(grade.entry.options))</code>)")</dd>\n"
            if let launch = grade.launch {
                html += "<dt>Roster command</dt><dd><code>\(TextEscaping.html(launch.command))</code></dd>\n"
                if !launch.arguments.isEmpty {
                    html += "<dt>Executed</dt><dd><code>\(TextEscaping.html(launch.commandLine))</code> (\(launch.shell ? "through /bin/sh" : "no shell"); <code>PORT=\(launch.port)</code>)</dd>\n"
                }
                html += "<dt>Start-up</dt><dd class=\"\(launch.startup.started ? "ok" : "bad")\">\(TextEscaping.html(launch.startup.description))</dd>\n"
                if let how = launch.ending {
                    html += "<dt>End</dt><dd class=\"\(launch.endedOnItsOwn ? "bad" : "")\">\(TextEscaping.html(how))</dd>\n"
                }
            } else {
                html += "<dt>Target</dt><dd><code>\(TextEscaping.html(grade.report.target))</code> (already running; not started by the grader)</dd>\n"
            }
            html += "<dt>Graded in</dt><dd>\(Seconds.text(grade.duration))</dd>\n"
            let files = index < reportFiles.count ? reportFiles[index] : []
            if !files.isEmpty {
                html += "<dt>Reports</dt><dd>" + files.map { "<a href=\"\(TextEscaping.html(percentEncode($0)))\">\(TextEscaping.html($0))</a>" }.joined(separator: " · ") + "</dd>\n"
            }
            html += "</dl>\n"
            let problems = grade.report.results.filter { $0.status == .fail || $0.status == .warn || $0.status == .notJudged }
            if grade.status != .didNotStart && !problems.isEmpty {
                html += "<ul class=\"problems\">\n"
                for problem in problems.prefix(12) {
                    html += "<li><span class=\"c \(problem.status.rawValue)\">\(symbol(problem.status))</span> <code>\(TextEscaping.html(problem.id))</code> \(TextEscaping.html(problem.message))</li>\n"
                }
                if problems.count > 12 { html += "<li>… and \(problems.count - 12) more in the report</li>\n" }
                html += "</ul>\n"
            }
            if let launch = grade.launch, !launch.startup.started || launch.exitedByItself {
                let lines = launch.standardError.lastLines(result.configuration.stderrLines)
                html += "<p class=\"label\">stderr (last \(lines.count) lines, \(launch.standardError.total) bytes in all)</p>\n"
                html += "<pre class=\"stderr\">\(TextEscaping.html(lines.isEmpty ? "(empty)" : lines.joined(separator: "\n")))</pre>\n"
            }
            html += "</section>\n"
        }
        return html
    }

    // MARK: - Helpers

    static func checkTitles(_ result: ClassResult) -> [String: String] {
        var titles: [String: String] = [:]
        for grade in result.grades {
            for check in grade.report.results where titles[check.id] == nil {
                titles[check.id] = "\(check.id) [\(check.level.rawValue)]: \(check.title)"
            }
        }
        return titles
    }

    /// Marks a client row, so a roster that grades both halves reads at a glance.
    static func roleTag(_ grade: StudentGrade) -> String {
        grade.entry.role == .client ? " <span class=\"role\" title=\"a client program, judged by randwire check-client\">client</span>" : ""
    }

    static func symbol(_ status: CheckStatus) -> String {
        switch status {
        case .pass: "✔"
        case .fail: "✖"
        case .warn: "⚠"
        case .skip: "–"
        case .notJudged: "?"
        }
    }

    static func describe(_ parameters: ProfileParameters) -> String {
        let name = "\(parameters.profile.rawValue) (seed \(parameters.profile.seed))"
        switch parameters.profile {
        case .bare, .request: return "\(name): \(parameters.min)…\(parameters.max)"
        case .csv: return "\(name): \(parameters.count) numbers in \(parameters.min)…\(parameters.max)"
        case .double: return "\(name): error token \"\(parameters.tokens.error)\""
        case .parity:
            let tokens = parameters.tokens
            return "\(name): tokens \"\(tokens.even)\", \"\(tokens.odd)\", \"\(tokens.tooLong)\", \"\(tokens.error)\"; too-long \(parameters.tooLongMode.rawValue)"
        }
    }

    static func percent(_ fraction: Double) -> String {
        Points.text((fraction * 1000).rounded() / 10)
    }

    /// File names are sanitised already; this only guards the link against `%` and `#`.
    static func percentEncode(_ name: String) -> String {
        // Foundation's `.urlPathAllowed`: what else there is goes as %XX of its UTF-8 bytes.
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/".utf8)
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in name.utf8 {
            if allowed.contains(byte) { out.append(byte) } else { out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let css = """

    :root { --pass: #c8e6c9; --pass-fg: #1b5e20; --fail: #ffcdd2; --fail-fg: #b71c1c; --warn: #ffe0b2; --warn-fg: #e65100;
            --nj: #d6d6d6; --nj-fg: #424242; --skip: #f3f3f3; --skip-fg: #757575; }
    body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5rem; color: #212121; }
    h1 { margin: 0 0 .25rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
    .meta { color: #555; margin: 0 0 .5rem; }
    .counts { list-style: none; padding: 0; display: flex; gap: .5rem; flex-wrap: wrap; }
    .role { font-size: 11px; font-weight: 600; color: #444; border: 1px solid #999; border-radius: .25rem; padding: 0 .3rem; margin-left: .3rem; }
    .badge { display: inline-block; padding: .05rem .5rem; border-radius: .75rem; font-size: 12px; font-weight: 600; white-space: nowrap; }
    .badge.conformant { background: var(--pass); color: var(--pass-fg); }
    .badge.not-conformant { background: var(--fail); color: var(--fail-fg); }
    .badge.passed { background: var(--pass); color: var(--pass-fg); }
    .badge.incomplete { background: var(--nj); color: var(--nj-fg); }
    .badge.unreachable { background: var(--nj); color: var(--nj-fg); }
    .badge.did-not-start { background: #424242; color: #fff; }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; }
    table.grades th, table.grades td { border: 1px solid #e0e0e0; padding: 2px 6px; text-align: center; }
    table.grades thead th { vertical-align: bottom; background: #fafafa; }
    table.grades tbody th { white-space: nowrap; position: sticky; left: 0; background: #fff; z-index: 1; }
    table.grades thead th:first-child { position: sticky; left: 0; z-index: 2; }
    table.grades tbody tr:hover td, table.grades tbody tr:hover th { outline: 1px solid #bdbdbd; }
    th.check span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: 500; font-size: 12px; }
    .left { text-align: left !important; } .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
    .c { min-width: 1.2em; font-weight: 700; }
    span.c { display: inline-block; text-align: center; padding: 0 .3em; border-radius: 3px; }
    .c.pass { background: var(--pass); color: var(--pass-fg); } .c.fail { background: var(--fail); color: var(--fail-fg); }
    .c.warn { background: var(--warn); color: var(--warn-fg); } .c.not-judged { background: var(--nj); color: var(--nj-fg); }
    .c.skip { background: var(--skip); color: var(--skip-fg); }
    .c.na { background: repeating-linear-gradient(45deg, #fff, #fff 3px, #f0f0f0 3px, #f0f0f0 6px); }
    span.c.na { width: 1.2em; height: 1em; vertical-align: middle; border: 1px solid #e0e0e0; }
    .legend { color: #555; }
    table.bars th { font-weight: 500; padding: 2px 12px 2px 0; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
    .bar-cell { width: 50%; min-width: 200px; }
    .bar { display: flex; height: 14px; background: #f5f5f5; border: 1px solid #e0e0e0; border-radius: 3px; overflow: hidden; }
    .bar span { display: block; height: 100%; }
    .bar .pass { background: #66bb6a; } .bar .warn { background: #ffa726; } .bar .fail { background: #ef5350; } .bar .not-judged { background: #9e9e9e; }
    table.bars td.num { padding-left: 12px; font-size: 12px; } .others { color: #777; }
    section.student { border: 1px solid #e0e0e0; border-radius: 6px; padding: .5rem 1rem; margin: .75rem 0; }
    section.student h3 { margin: .25rem 0 .5rem; } .score { color: #555; font-weight: 500; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
    dt { color: #666; } dd { margin: 0; min-width: 0; overflow-wrap: anywhere; } dd.bad { color: var(--fail-fg); font-weight: 600; } dd.ok { color: var(--pass-fg); }
    code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
    ul.problems { padding-left: 1rem; list-style: none; } ul.problems li { margin: .15rem 0; }
    pre.stderr { background: #263238; color: #eceff1; padding: .5rem; border-radius: 4px; overflow-x: auto; max-height: 20em; }
    .label { color: #666; margin-bottom: 0; }
    figure.scores { margin: .5rem 0; }
    @media print { .scroll { overflow: visible; } }

    """
}

import RandWireConformance
import RandWireProtocol

/// `check --format html`: one self-contained page (inline CSS and SVG, no script, nothing
/// fetched) with the verdict first, the root causes, then every check in spec order; failed
/// checks open, with a sequence diagram per connection and charts of the random samples.
struct HTMLReport {
    let report: RunReport
    let score: Score

    /// Several runs (`check --self`) in one page, each an article.
    static func page(_ runs: [(RunReport, Score)]) -> String {
        let title = runs.count == 1
            ? "RandWire check: \(runs[0].0.verdictWord), \(runs[0].0.target)"
            : "RandWire check: \(runs.count) runs"
        var html = SVGChart.pageHead(title: title, css: css + SVGChart.css + SVGTimeline.css)
        for (report, score) in runs { html += HTMLReport(report: report, score: score).article() }
        return html + "</body>\n</html>\n"
    }

    func render() -> String { Self.page([(report, score)]) }

    func article() -> String {
        var html = "<article class=\"run\">\n"
        html += "<header class=\"verdict \(report.verdict.rawValue)\"><h1>\(TextEscaping.html(report.verdictWord))</h1>"
        html += "<p class=\"reason\">\(TextEscaping.html(report.verdictReason))</p>"
        html += "<p class=\"counts\">\(TextEscaping.html(report.countsLine)); score \(score.fraction)</p></header>\n"
        html += runFacts()
        if !report.warnings.isEmpty {
            html += "<ul class=\"warnings\">" + report.warnings.map { "<li>note: \(TextEscaping.html($0))</li>" }.joined() + "</ul>\n"
        }
        if report.unreachable {
            html += "<p class=\"unreachable\">\(report.results.count) checks not judged: the target could not be reached.</p>\n"
            return html + "</article>\n"
        }
        html += rootCauses()
        html += "<h2 id=\"checks\">Checks</h2>\n"
        for group in SpecSections.grouped(report.results, section: \.section) {
            html += "<h3 class=\"section\">\(TextEscaping.html(SpecSections.heading(group.section)))</h3>\n"
            for result in group.items { html += row(result) }
        }
        return html + "</article>\n"
    }

    // MARK: - The run

    func runFacts() -> String {
        let facts: [(String, String)] = [
            ("Target", "<code>\(TextEscaping.html(report.target))</code>"),
            ("Profile", "\(report.profile.rawValue) (seed \(report.profile.seed))"),
            ("Parameters", TextEscaping.html(report.parametersLine)),
            ("Seed", "\(report.seed)"),
            ("Strict", report.strict ? "on (SHOULDs required)" : "off"),
            ("Started", TextEscaping.html(report.startedAt)),
            ("Duration", NumberText.duration(milliseconds: report.durationMilliseconds)),
            ("Tool", "\(TextEscaping.html(report.tool)) \(TextEscaping.html(report.toolVersion))"),
        ]
        var html = "<dl class=\"facts\">" + facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined()
        html += "<dt>Reproduce</dt><dd><pre class=\"command\"><code>\(TextEscaping.html(reproduceCommand))</code></pre></dd></dl>\n"
        return html
    }

    /// `randwire check --profile P HOST:PORT --seed N` and the parameters that differ from the
    /// profile's defaults, quoted for a POSIX shell.
    var reproduceCommand: String {
        let p = report.parameters
        let defaults = report.profile.defaultParameters
        var words = ["randwire", "check", "--profile", report.profile.rawValue, report.target, "--seed", "\(report.seed)"]
        if p.min != defaults.min || p.max != defaults.max, report.profile.isRandom { words += ["--min", "\(p.min)", "--max", "\(p.max)"] }
        if report.profile == .csv, p.count != defaults.count { words += ["--count", "\(p.count)"] }
        if p.tokens != defaults.tokens, !report.profile.isRandom { words += ["--tokens", p.tokens.argument] }
        if report.profile == .parity, p.tooLongMode != defaults.tooLongMode { words += ["--too-long", p.tooLongMode.rawValue] }
        if report.strict { words.append("--strict") }
        return words.map(Self.shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", ",", ":", "/", "=", "@", "%", "+": true
            default: false
            }
        }
        return safe && !word.isEmpty ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }

    /// The faults themselves before the list: each failed check that is no echo of another,
    /// and the checks that failed only because of it (the human report's `root cause` block).
    func rootCauses() -> String {
        let roots = report.results.filter { $0.status == .fail && $0.consequenceOf == nil && !$0.knownFailure }
        guard !roots.isEmpty else { return "" }
        var html = "<section class=\"roots\"><h2>Root cause\(roots.count == 1 ? "" : "s")</h2><ul>\n"
        for root in roots {
            let finding = root.findings.first { $0.level == .must } ?? root.findings.first
            let tag = finding.map { "\($0.requirement): " } ?? ""
            html += "<li><a href=\"#\(anchor(root.id))\"><code>\(TextEscaping.html(root.id))</code></a> \(TextEscaping.html(tag + root.headline))"
            let echoes = report.results.filter { $0.consequenceOf == root.id }
            if !echoes.isEmpty {
                let links = echoes.map { "<a href=\"#\(anchor($0.id))\"><code>\(TextEscaping.html($0.id))</code></a>" }.joined(separator: ", ")
                html += "<br/><span class=\"echoes\">and \(echoes.count) other check\(echoes.count == 1 ? "" : "s") failed because of this: \(links)</span>"
            }
            html += "</li>\n"
        }
        return html + "</ul></section>\n"
    }

    // MARK: - One check

    /// The fragment ID of a check's row, unique per run in the page.
    func anchor(_ id: String) -> String { TextEscaping.html("\(report.profile.rawValue)-\(id)") }

    static func symbol(_ result: CheckResult) -> String {
        switch result.status {
        case .pass: "✔"
        case .fail: "✖"
        case .warn: "⚠"
        case .skip: "–"
        case .notJudged: "?"
        }
    }

    func row(_ result: CheckResult) -> String {
        let open = result.status == .fail ? " open=\"\"" : ""
        let known = result.knownFailure ? " known" : ""
        var html = "<details class=\"check \(result.status.rawValue)\(known)\" id=\"\(anchor(result.id))\"\(open)>"
        html += "<summary><span class=\"status\">\(Self.symbol(result)) \(result.status.rawValue)</span> "
        html += "<code class=\"id\">\(TextEscaping.html(result.id))</code> "
        if !result.requirements.isEmpty { html += "<span class=\"reqs\">\(TextEscaping.html(result.requirementTag))</span> " }
        html += "<span class=\"level\">\(result.level.rawValue)</span> <span class=\"title\">\(TextEscaping.html(result.title))</span>"
        if result.knownFailure { html += " <span class=\"note\">(known failure)</span>" }
        if let root = result.consequenceOf { html += " <span class=\"note\">consequence of <a href=\"#\(anchor(root))\">\(TextEscaping.html(root))</a></span>" }
        html += "<span class=\"message\">\(TextEscaping.html(result.message))</span></summary>\n"
        html += "<div class=\"body\">" + body(result) + "</div></details>\n"
        return html
    }

    func body(_ result: CheckResult) -> String {
        let evidence = Evidence(result)
        var html = ""
        if let expected = evidence.expected { html += "<p><span class=\"label\">expected:</span> \(TextEscaping.html(expected))</p>" }
        if !evidence.findings.isEmpty {
            html += "<ul class=\"findings\">"
            for finding in evidence.findings {
                let echo = finding.consequenceOf.map { ", consequence of \($0)" } ?? ""
                html += "<li><code>\(TextEscaping.html(finding.requirement))</code> (\(TextEscaping.html(finding.level + echo))): \(TextEscaping.html(finding.message))"
                if let summary = finding.summary { html += "<br/><span class=\"summary\">\(TextEscaping.html(finding.requirement)): \(TextEscaping.html(summary))</span>" }
                html += "</li>"
            }
            html += "</ul>"
        }
        let figures = RandomnessCharts.figures(result, parameters: report.parameters)
        if figures.isEmpty, !result.statistics.isEmpty {
            html += "<ul class=\"statistics\">" + evidence.statistics.map { "<li>\(TextEscaping.html($0))</li>" }.joined() + "</ul>"
        }
        html += figures.joined()
        for (index, transcript) in result.transcripts.prefix(Evidence.connectionLimit).enumerated() {
            let connection = evidence.connections[index]
            let title = "connection \(index + 1): \(Evidence.describe(connection))"
            html += "<figure class=\"exchange\"><figcaption>\(TextEscaping.html(title))</figcaption>"
            html += SVGTimeline.render(transcript, title: "Timeline of \(result.id), \(title)", harnessIsServer: result.judgesClient)
            html += "<dl class=\"bytes\">"
            if let sent = connection.sent { html += "<dt>sent</dt><dd><code>\(TextEscaping.html(sent))</code></dd>" }
            html += "<dt>received</dt><dd><code>\(TextEscaping.html(connection.received))</code></dd></dl></figure>"
        }
        if evidence.omittedConnections > 0 {
            html += "<p class=\"more\">\(evidence.omittedConnections) more connection\(evidence.omittedConnections == 1 ? "" : "s") in the JSON report.</p>"
        }
        if result.durationMilliseconds > 0 {
            html += "<p class=\"took\">took \(NumberText.duration(milliseconds: result.durationMilliseconds))</p>"
        }
        return html
    }

    static let css = """

    :root { --pass: #e8f5e9; --pass-fg: #1b5e20; --fail: #ffebee; --fail-fg: #b71c1c; --warn: #fff3e0; --warn-fg: #e65100;
            --nj: #eeeeee; --nj-fg: #424242; }
    * { box-sizing: border-box; }
    body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; padding: 1rem; max-width: 60rem; color: #212121; }
    article.run + article.run { margin-top: 3rem; border-top: 3px solid #bdbdbd; }
    header.verdict { padding: .75rem 1rem; border-radius: 6px; margin: .5rem 0 1rem; border-left: 8px solid; }
    header.verdict h1 { margin: 0; font-size: 1.8rem; letter-spacing: .02em; }
    header.verdict p { margin: .25rem 0 0; }
    .verdict.conformant, .verdict.passed { background: var(--pass); color: var(--pass-fg); }
    .verdict.not-conformant { background: var(--fail); color: var(--fail-fg); }
    .verdict.incomplete, .verdict.unreachable { background: var(--nj); color: var(--nj-fg); }
    .verdict .counts { color: #424242; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem; }
    dl.facts dt { color: #616161; } dl.facts dd { margin: 0; min-width: 0; }
    code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; overflow-wrap: anywhere; }
    pre.command { margin: 0; padding: .35rem .5rem; background: #263238; color: #eceff1; border-radius: 4px; white-space: pre-wrap; }
    ul.warnings { color: var(--warn-fg); padding-left: 1.2rem; }
    section.roots { border: 2px solid var(--fail-fg); border-radius: 6px; padding: .25rem 1rem; margin: 1rem 0; }
    section.roots h2 { margin: .5rem 0; color: var(--fail-fg); font-size: 1.2rem; } .echoes { color: #616161; }
    h2 { border-bottom: 1px solid #ddd; } h3.section { margin: 1.2rem 0 .4rem; font-size: 1rem; color: #424242; }
    details.check { border: 1px solid #e0e0e0; border-radius: 4px; margin: .25rem 0; }
    details.check > summary { padding: .3rem .5rem; cursor: pointer; overflow-wrap: anywhere; }
    details.check .status { display: inline-block; min-width: 6.5em; font-weight: 700; }
    details.check .reqs, details.check .level { color: #616161; font-size: 13px; }
    details.check .message { display: block; color: #424242; font-size: 13px; margin-left: 6.5em; }
    details.check.pass .status { color: var(--pass-fg); } details.check.fail { border-color: var(--fail-fg); }
    details.check.fail > summary { background: var(--fail); } details.check.fail .status { color: var(--fail-fg); }
    details.check.known > summary { background: var(--warn); } details.check.warn .status { color: var(--warn-fg); }
    details.check.skip, details.check.skip .status { color: #757575; } details.check.not-judged .status { color: var(--nj-fg); }
    .note { color: #616161; font-size: 13px; } .body .label { font-weight: 700; }
    .body { padding: .25rem .75rem .5rem; }
    ul.findings, ul.statistics { padding-left: 1.2rem; } .summary { color: #616161; font-size: 13px; }
    figure { margin: .75rem 0; } figure.exchange figcaption { font-size: 13px; color: #424242; }
    dl.bytes { display: grid; grid-template-columns: max-content 1fr; gap: 0 .75rem; margin: .25rem 0; font-size: 13px; }
    dl.bytes dd { margin: 0; min-width: 0; }
    figure.sample { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: flex-start; }
    figure.sample svg { flex: 0 1 480px; } figure.sample figcaption { flex: 1 1 12rem; }
    dl.stats { display: grid; grid-template-columns: max-content auto; gap: 0 .75rem; margin: 0; font-size: 13px; min-width: 12rem; }
    dl.stats dd { margin: 0; } dl.stats .sample-name { grid-column: 1 / -1; font-weight: 700; margin-top: .35rem; }
    .p.fail { color: var(--fail-fg); font-weight: 700; } .p.ambiguous { color: var(--warn-fg); }
    .more, .took { color: #616161; font-size: 13px; }
    @media (max-width: 40rem) { body { padding: .5rem; font-size: 14px; } details.check .message { margin-left: 0; }
        dl.facts { grid-template-columns: 1fr; } dl.facts dt { margin-top: .3rem; } }
    @media print { body { max-width: none; } details.check > summary { list-style: none; } figure, details.check.fail { break-inside: avoid; }
        pre.command { background: none; color: #000; border: 1px solid #999; } }

    """
}

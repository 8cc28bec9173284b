import Foundation
import RandWireConformance
import RandWireProtocol
import RandWireStatistics
@testable import RandWireReports
import Testing

/// `check --format html`: a page that parses as XML (so no data leaked unescaped into markup),
/// runs no script, fetches nothing, shows the verdict first and draws what it promises.
@Suite struct HTMLReportTests {
    static let range = try! ProfileParameters(profile: .request, min: 10, max: 20, count: 1)

    /// The failing sample: every status, hostile text and bytes, a FRAME-4 split failure and a
    /// skewed generator's sample.
    static func failing(values: [Int] = SampleReports.skewed(count: 3000)) -> RunReport {
        SampleReports.report(results: SampleReports.results().filter { $0.id != SampleReports.uniformity.id } + [SampleReports.splitFailure()] + SampleReports.randomness(values: values),
                             parameters: range)
    }

    static func html(_ report: RunReport) -> String { ReportRenderer.render(report, format: .html, options: ReportOptions()) }

    /// Every element of the page, document order.
    static func elements(_ html: String) throws -> [XMLTree.Node] {
        try XMLTree.parse(html).descendants("html").flatMap { [$0] + all($0) }
    }

    static func all(_ node: XMLTree.Node) -> [XMLTree.Node] { node.children.flatMap { [$0] + all($0) } }

    static func checkRows(_ nodes: [XMLTree.Node]) -> [XMLTree.Node] {
        nodes.filter { $0.name == "details" && ($0.attributes["class"] ?? "").hasPrefix("check ") }
    }

    @Test("passing and failing pages parse as XML, with no script and nothing fetched", arguments: [false, true])
    func wellFormedAndOffline(failing: Bool) throws {
        let page = Self.html(failing ? Self.failing() : SampleReports.conformantReport())
        let nodes = try Self.elements(page)
        #expect(!nodes.isEmpty)
        #expect(!page.lowercased().contains("<script"), "no script element, and no hostile <script> leaked through")
        #expect(!nodes.contains { $0.name == "script" || $0.name == "iframe" || $0.name == "link" || $0.name == "img" })
        for node in nodes {
            for (name, value) in node.attributes where ["src", "href", "xlink:href", "action", "data"].contains(name) {
                #expect(value.hasPrefix("#") || !value.contains(":"), "\(node.name) \(name)=\(value) points off the page")
            }
            #expect(!node.attributes.keys.contains { $0.lowercased().hasPrefix("on") }, "no event handlers")
        }
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("url("), "nothing fetched")
    }

    @Test("hostile text and bytes are escaped, never markup")
    func hostileEscaped() throws {
        let page = Self.html(Self.failing())
        let nodes = try Self.elements(page)
        #expect(!page.contains("<b>"), "the hostile <b> stays text")
        #expect(page.contains("tag &lt;b&gt; &amp; &quot;quote&quot; &#39;apos&#39;"))
        #expect(!page.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }, "controls shown as \\u{..}, never raw")
        // The hostile message is the text of its check's summary, not elements inside it.
        let hostileRow = try #require(Self.checkRows(nodes).first { $0.attributes["id"] == "request-request.hostile" })
        let message = try #require(Self.all(hostileRow).first { $0.attributes["class"] == "message" })
        #expect(message.text.hasPrefix("tag <b> & \"quote\" 'apos' \\u{1}\\u{1B}[31m ]]>"), "\(message.text)")
        #expect(message.children.isEmpty)
        // The transcript's "<script>\"" reaches the timeline as text.
        let labels = nodes.filter { $0.name == "text" }.map(\.text)
        #expect(labels.contains { $0.contains("\"ple <script>\\\"\\n\"") }, "\(labels)")
    }

    @Test("the verdict comes first, then the root causes, then one row per check in spec order")
    func verdictFirstOneRowPerCheck() throws {
        let report = Self.failing()
        let page = Self.html(report)
        let nodes = try Self.elements(page)
        let verdict = try #require(nodes.firstIndex { $0.name == "h1" })
        #expect(nodes[verdict].text == "NOT CONFORMANT")
        let roots = try #require(nodes.firstIndex { $0.attributes["class"] == "roots" })
        let firstRow = try #require(nodes.firstIndex { $0.name == "details" })
        #expect(verdict < roots && roots < firstRow)
        let rows = Self.checkRows(nodes)
        #expect(rows.count == report.results.count)
        let expectedOrder = SpecSections.grouped(report.results, section: \.section).flatMap { $0.items.map(\.id) }
        #expect(rows.map { $0.attributes["id"] ?? "" } == expectedOrder.map { "request-" + $0 })
        // Failed rows open, the others collapsed.
        for (row, id) in zip(rows, expectedOrder) {
            let failed = report.results.first { $0.id == id }?.status == .fail
            #expect((row.attributes["open"] != nil) == failed, "\(id)")
        }
        // The facts and the command that reproduces the run.
        #expect(page.contains("<pre class=\"command\"><code>randwire check --profile request 127.0.0.1:8000 --seed 42 --min 10 --max 20</code></pre>"))
        // Root causes link to their rows; the known failure is no root cause.
        let rootLinks = Self.all(nodes[roots]).filter { $0.name == "a" }.compactMap { $0.attributes["href"] }
        #expect(rootLinks == ["#request-request.hostile", "#request-random.endpoints", "#request-framing.split", "#request-random.uniformity"])
    }

    @Test("a failed check with transcripts draws a timeline: the FRAME-4 answer before the second piece")
    func timeline() throws {
        let nodes = try Self.elements(Self.html(Self.failing()))
        let row = try #require(Self.checkRows(nodes).first { $0.attributes["id"] == "request-framing.split" })
        let svg = try #require(Self.all(row).first { $0.name == "svg" && $0.attributes["class"] == "timeline" })
        let events = Self.all(svg).filter { $0.name == "g" }
        #expect(events.map { $0.attributes["class"] ?? "" } == ["event connect", "event sent", "event received", "event sent", "event rst"])
        // Arrow heights follow the clock: the answer (5.4 ms) sits between the pieces (0.3, 55.6 ms).
        func y(_ event: XMLTree.Node) -> Double? {
            Self.all(event).first { $0.attributes["class"] == "time" }.flatMap { $0.attributes["y"] }.flatMap(Double.init)
        }
        let heights = events.compactMap(y)
        #expect(heights == heights.sorted() && heights.count == 5)
        #expect(heights[3] - heights[2] > 3 * (heights[2] - heights[1]), "50 ms looks longer than 5 ms: \(heights)")
        let times = events.compactMap { event in Self.all(event).first { $0.attributes["class"] == "time" }?.text }
        #expect(times == ["0", "0.3", "5.4", "55.6", "56.1"])
        let labels = events.compactMap { event in Self.all(event).first { $0.attributes["class"] == "label" }?.text }
        #expect(labels[1] == "\"Exam\"" && labels[2] == "\"17\"" && labels[4].hasPrefix("RST"))
    }

    @Test("a client check's timeline puts the harness on the left as the server, the client program on the right")
    func clientTimeline() throws {
        let definition = CheckDefinition(id: "client.never-closes", title: "never closes", level: .must, requirements: ["LIMIT-3"], profiles: [.parity])
        var transcript = Transcript()
        transcript.events = [
            TranscriptEvent(atMilliseconds: 1, kind: .connect, text: "client from port 40000"),
            TranscriptEvent(atMilliseconds: 1.1, kind: .received, bytes: Array("42\n".utf8)),
            TranscriptEvent(atMilliseconds: 1.3, kind: .sent, bytes: Array("even".utf8)),
            TranscriptEvent(atMilliseconds: 12_000, kind: .note, text: "client printed \"\"; still running after 10 s: stopped"),
        ]
        let result = CheckResult(definition: definition, status: .fail, message: "hung", transcripts: [transcript])
        let nodes = try Self.elements(Self.html(SampleReports.report(results: [result], parameters: ProfileParameters(profile: .parity))))
        let svg = try #require(Self.all(nodes.first!).first { $0.name == "svg" && $0.attributes["class"] == "timeline" })
        let parties = Self.all(svg).filter { $0.attributes["class"] == "party" }.map(\.text)
        #expect(parties == ["harness (server)", "client program"])
        let labels = Self.all(svg).filter { $0.attributes["class"] == "label" }.map(\.text)
        #expect(labels.first == "the client connects" && labels.contains("\"even\""), "\(labels)")
    }

    @Test("a randomness check draws a histogram with the expected line, a lag plot, each beside its statistic")
    func randomnessCharts() throws {
        let nodes = try Self.elements(Self.html(Self.failing()))
        let rows = Self.checkRows(nodes)
        let uniformity = try #require(rows.first { $0.attributes["id"] == "request-random.uniformity" })
        let histogram = try #require(Self.all(uniformity).first { $0.name == "svg" && $0.attributes["class"] == "chart" })
        let bars = Self.all(histogram).filter { $0.attributes["class"] == "column" }
        #expect(bars.count == 11, "one bar per value of 10...20")
        let counts = bars.compactMap { $0.children.first?.text }
        #expect(counts.first == "10: 354 values (expected 272.7)" && counts.last == "20: 176 values (expected 272.7)", "\(counts)")
        #expect(Self.all(histogram).contains { $0.attributes["class"] == "expected" })
        let caption = try #require(Self.all(uniformity).first { $0.name == "figcaption" })
        let stats = Self.all(caption).map(\.text)
        #expect(stats.contains("chi-square (df 10)") && stats.contains("413") && stats.contains("3e-80 (fail)"), "\(stats)")
        let serial = try #require(rows.first { $0.attributes["id"] == "request-random.serial-correlation" })
        let lag = try #require(Self.all(serial).first { $0.name == "svg" })
        #expect(lag.children.first?.text.hasPrefix("Lag plot: each value against the next (2000 of 2999 pairs") == true)
    }

    @Test("huge samples are binned and thinned: at most 60 bars and 2000 points")
    func hugeSamples() throws {
        let wide = try ProfileParameters(profile: .request, min: 1, max: 1_000_000, count: 1)
        let values = (0..<200_000).map { ($0 &* 2_654_435_761) % 1_000_000 + 1 }
        let report = SampleReports.report(results: SampleReports.randomness(values: values), parameters: wide)
        let page = Self.html(report)
        #expect(page.utf8.count < 400_000, "\(page.utf8.count) bytes")
        let nodes = try Self.elements(page)
        let bars = nodes.filter { $0.attributes["class"] == "column" }
        #expect(bars.count == 50, "1,000,000 values in 50 equal bins")
        let points = try #require(nodes.first { $0.attributes["class"] == "points" }?.attributes["d"])
        #expect(points.count { $0 == "M" } == 2000)
    }

    @Test("csv batches get a per-position chart")
    func positions() throws {
        let csv = try ProfileParameters(profile: .csv, min: 1, max: 100, count: 10)
        let definition = CheckDefinition(id: "random.position-exchangeability", title: "Every position in a batch has the same distribution",
                                         level: .must, requirements: ["CSV-3"], profiles: [.csv])
        let stat = StatResultSample.make(test: "position-exchangeability")
        let sorted = (0..<300).map { batch in (0..<10).map { 1 + ($0 * 10 + batch % 10) } }
        let result = CheckResult(definition: definition, status: .fail, message: stat.summary, statistics: [stat], samples: sorted)
        let nodes = try Self.elements(Self.html(SampleReports.report(results: [result], parameters: csv)))
        let whiskers = nodes.filter { $0.attributes["class"] == "whisker" }
        #expect(whiskers.count == 10)
        #expect(whiskers.first?.children.first?.text.hasPrefix("position 1: mean 5.5 of 300 values") == true)
    }

    @Test("several runs (check --self) make one page")
    func severalRuns() throws {
        let page = ReportRenderer.render([SampleReports.conformantReport(), Self.failing()], format: .html, options: ReportOptions())
        let nodes = try Self.elements(page)
        #expect(nodes.filter { $0.name == "article" }.count == 2)
        #expect(page.components(separatedBy: "<!DOCTYPE html>").count == 2)
    }
}

enum StatResultSample {
    static func make(test: String) -> StatResult {
        StatResult(test: test, n: 300, statistic: 900, statisticName: "chi-square (df 36)", pValue: 1e-40, verdict: .fail,
                   detectable: "one position 2.9x as often", summary: "chi-square 900 (df 36), p = 1e-40: positions differ")
    }
}

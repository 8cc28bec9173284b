import RandWireConformance
@testable import RandWireReports
import Testing

@Suite struct HumanReportTests {
    @Test func summaryLastAndNoColourByDefault() throws {
        let report = SampleReports.report()
        let text = ReportRenderer.render(report, format: .human, options: ReportOptions())
        #expect(!text.contains("\u{1B}"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.last == "")
        let score = Rubric.default.score(report)
        #expect(lines.dropLast().last == "2 passed, 2 failed, 1 warning, 1 skipped, 1 not judged, 1 known failure; score \(score.fraction); NOT CONFORMANT")
        // The verdict and its reason come first, so a truncated log still shows them.
        #expect(lines[0].hasPrefix("NOT CONFORMANT: 2 required checks failed: request.hostile: "))
        #expect(lines[1] == "randwire 1.0.0 check of 127.0.0.1:8000")
        #expect(lines[2] == "profile request (seed 001): min 1, max 10000")
        #expect(lines[3].hasPrefix("seed 42, strict off"))
        let headings = lines.filter { $0.hasPrefix("§") }
        #expect(headings == ["§3 Transport and lifecycle", "§5 Request framing", "§6.3 request", "§7 Randomness", "§8 Timeouts and limits"])
        #expect(lines.contains("  ✔ lifecycle.close  [CORE-3]  The server closes the connection after its response"))
        #expect(lines.contains { $0.hasPrefix("  ⚠ format.no-trailing-newline  [CORE-6]") })
        #expect(lines.contains { $0.hasPrefix("  − framing.no-lf  [FRAME-3]") && $0.hasSuffix("deselected by --only/--skip") })
        #expect(lines.contains { $0.hasPrefix("  ? limit.connection-deadline") })
        #expect(lines.contains { $0.hasPrefix("  ✖ lifecycle.keeps-serving") && $0.hasSuffix("(known failure)") })
        #expect(lines.contains("failed: request.hostile, random.endpoints"))
    }

    @Test func failureEvidence() throws {
        let text = ReportRenderer.render(SampleReports.report(), format: .human, options: ReportOptions())
        let lines = text.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex { $0.hasPrefix("  ✖ request.hostile  [") })
        let block = lines[(start + 1)...].prefix { $0.hasPrefix("      ") }
        #expect(block.contains("      sent:     \"<&\\0\\xFF\\x1B\\n\""))
        #expect(block.contains("      received: \"\\0\\xFF<&\\x1B]]>\""))
        #expect(block.contains { $0.hasPrefix("      expected: a number in 1...10000") })
        #expect(block.contains { $0.hasPrefix("      REQ-1 (MUST): got tag <b>") })
        #expect(block.contains { $0.contains("REQ-1: The server answers any non-empty request") })
        #expect(block.contains("      port 50003, 12.5 ms, ended by EOF"))
        #expect(block.contains { $0.hasPrefix("      connection 2: received \"\"; port 50004, 12.5 ms, ended by reset") })
        #expect(block.contains("      (1 more connection in the JSON report)"))
        // The message's ESC is shown, never sent to the terminal.
        #expect(block.contains { $0.contains("\\u{1B}[31m") })

        let stat = try #require(lines.firstIndex { $0.hasPrefix("  ✔ random.uniformity") })
        #expect(lines[stat + 1].hasPrefix("      first sample: uniformity:") && lines[stat + 1].contains("p = 0.0002"))
        #expect(lines[stat + 2].hasPrefix("      fresh sample: uniformity:") && lines[stat + 2].contains("p = 0.41"))
        // A failed statistic is said once, as its finding.
        let endpoints = try #require(lines.firstIndex { $0.hasPrefix("  ✖ random.endpoints  [") })
        #expect(lines[(endpoints + 1)...].prefix { $0.hasPrefix("      ") }.count { $0.contains("p = 1e-09") } == 1)
    }

    @Test func colourWhenAsked() {
        var options = ReportOptions()
        options.color = true
        let text = ReportRenderer.render(SampleReports.conformantReport(), format: .human, options: options)
        #expect(text.contains("\u{1B}[32m✔\u{1B}[0m"))
        #expect(text.split(separator: "\n").last?.hasSuffix("\u{1B}[32mCONFORMANT\u{1B}[0m") == true)
    }

    @Test func unreachableVerdict() {
        let text = ReportRenderer.render(SampleReports.report(results: [], unreachable: true), format: .human, options: ReportOptions())
        #expect(text.split(separator: "\n").last == "0 passed, 0 failed, 0 warnings, 0 skipped, 0 not judged; score 0/0; UNREACHABLE")
    }

    @Test("unreachable: the verdict and summary, not a list of checks that all say not judged")
    func unreachableIsShort() {
        let results = SampleReports.results().map { CheckResult(definition: CheckDefinition(id: $0.id, title: $0.title, level: $0.level, requirements: $0.requirements, profiles: [.request]), status: .notJudged, message: "not judged: the target could not be reached") }
        let text = ReportRenderer.render(SampleReports.report(results: results, unreachable: true), format: .human, options: ReportOptions())
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("UNREACHABLE: nothing was judged"))
        #expect(lines.contains("\(results.count) checks not judged"))
        #expect(!lines.contains { $0.hasPrefix("  ? ") }, "\(text)")
        #expect(lines.count < 12, "\(text)")
    }

    @Test("an INCOMPLETE verdict is yellow, first and last")
    func incompleteFirstAndLast() {
        var options = ReportOptions()
        options.color = true
        let results = SampleReports.results().filter { $0.status != .fail && $0.id != SampleReports.framing.id }
            + [CheckResult(definition: SampleReports.framing, status: .notJudged, message: "not judged: the run reached its 60 s deadline")]
        let text = ReportRenderer.render(SampleReports.report(results: results), format: .human, options: options)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("\u{1B}[33mINCOMPLETE: 1 required check not judged"), "\(lines[0])")
        #expect(lines.last?.hasSuffix("\u{1B}[33mINCOMPLETE\u{1B}[0m") == true)
    }
}

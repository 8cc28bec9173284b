import RandWireConformance
import RandWireProtocol
@testable import RandWireReports
import Testing

/// One fault, one finding: the human report leads with the root cause and lists its echoes
/// under it; every format names the link.
@Suite struct RootCauseReportTests {
    static let report: RunReport = {
        var root = CheckResult(definition: SampleReports.hostileCheck, status: .fail, message: "m",
                               findings: [Finding("CORE-8", "the response carries text besides the answer: \"Welcome! \" before \"15\"", fault: "extra-output:\"Welcome! \"")])
        root.durationMilliseconds = 1
        var echo = CheckResult(definition: SampleReports.framing, status: .fail, message: "m",
                               findings: [Finding("CORE-8", "the response carries text besides the answer: \"Welcome! \" before \"7\"", fault: "extra-output:\"Welcome! \"")
                                   .charged(to: "CORE-8", consequenceOf: SampleReports.hostileCheck.id)])
        echo.consequenceOf = SampleReports.hostileCheck.id
        let pass = CheckResult(definition: SampleReports.close, status: .pass, message: "closed")
        return SampleReports.report(results: [pass, root, echo])
    }()

    @Test func humanLeadsWithTheRootCause() throws {
        let lines = ReportRenderer.render(Self.report, format: .human, options: ReportOptions()).split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("NOT CONFORMANT: 1 required check failed (and 1 check failed as its consequence): request.hostile: "))
        let heading = try #require(lines.firstIndex(of: "root cause"))
        #expect(lines[heading + 1].hasPrefix("  ✖ request.hostile  CORE-8: the response carries text besides the answer"))
        #expect(lines[heading + 2] == "      and 1 other check failed because of this: framing.no-lf")
        let echo = try #require(lines.firstIndex { $0.hasPrefix("  ✖ framing.no-lf  [") })
        #expect(lines[echo].hasSuffix("— consequence of request.hostile"))
        #expect(!lines[echo + 1].hasPrefix("      "), "a consequence shows no evidence of its own")
        #expect(lines.last == "1 passed, 1 failed, 0 warnings, 0 skipped, 0 not judged, 1 failed as consequence; score 2/6; NOT CONFORMANT")
    }

    @Test func everyFormatNamesTheLink() {
        #expect(ReportRenderer.render(Self.report, format: .tap, options: ReportOptions()).contains("(consequence of request.hostile)"))
        #expect(ReportRenderer.render(Self.report, format: .junit, options: ReportOptions()).contains("message=\"consequence of request.hostile: "))
        #expect(ReportRenderer.render(Self.report, format: .gradescope, options: ReportOptions()).contains("consequence of request.hostile: "))
        let json = ReportRenderer.render(Self.report, format: .json, options: ReportOptions())
        #expect(json.contains("\"consequenceOf\" : \"request.hostile\""))
        #expect(json.contains("\"consequences\" : 1"))
    }
}

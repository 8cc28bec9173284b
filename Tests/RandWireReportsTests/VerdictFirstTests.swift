import Foundation
import RandWireConformance
import RandWireProtocol
@testable import RandWireReports
import Testing

/// Every format shows the verdict and its reason before anything else about the checks.
@Suite struct VerdictFirstTests {
    static let incomplete: RunReport = {
        let results = SampleReports.results().filter { $0.status != .fail && $0.id != SampleReports.framing.id }
            + [CheckResult(definition: SampleReports.framing, status: .notJudged, message: "not judged: the run reached its 3 s deadline; raise --run-timeout")]
        return SampleReports.report(results: results)
    }()

    static func render(_ format: ReportFormat) -> String {
        ReportRenderer.render(incomplete, format: format, options: ReportOptions())
    }

    @Test func human() {
        #expect(Self.render(.human).hasPrefix("INCOMPLETE: 1 required check not judged, so conformance is undecided: framing.no-lf: the run reached its 3 s deadline"))
    }

    @Test func tap() {
        let lines = Self.render(.tap).split(separator: "\n").map(String.init)
        #expect(lines[0] == "TAP version 13")
        #expect(lines[2].hasPrefix("# INCOMPLETE: 1 required check not judged"))
    }

    @Test func junit() {
        let text = Self.render(.junit)
        #expect(text.contains("<property name=\"verdict\" value=\"INCOMPLETE\"/>"))
        #expect(text.contains("<property name=\"verdictReason\" value=\"1 required check not judged"))
    }

    @Test func gradescope() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(Self.render(.gradescope).utf8)) as? [String: Any])
        let output = try #require(object["output"] as? String)
        #expect(output.hasPrefix("**INCOMPLETE**: 1 required check not judged"), "\(output)")
    }

    @Test func json() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(Self.render(.json).utf8)) as? [String: Any])
        #expect(object["verdict"] as? String == "incomplete")
        #expect((object["verdictReason"] as? String)?.hasPrefix("1 required check not judged") == true)
        #expect(object["conformant"] as? Bool == false)
    }
}

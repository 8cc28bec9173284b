import Foundation
import RandWireConformance
@testable import RandWireReports
import Testing

@Suite struct GradescopeReportTests {
    struct Results: Decodable {
        let score: Double
        let max_score: Double
        let execution_time: Double
        let output: String
        let output_format: String
        let visibility: String
        let stdout_visibility: String
        let tests: [Test]
    }

    struct Test: Decodable {
        let name: String
        let number: String
        let score: Double
        let max_score: Double
        let status: String
        let output: String
        let output_format: String
        let tags: [String]
        let visibility: String
    }

    static let visibilities: Set<String> = ["visible", "hidden", "after_due_date", "after_published"]

    @Test func requiredKeysAndScoreSums() throws {
        var options = ReportOptions()
        options.rubric = Rubric(hidden: ["random.*"], maxScore: 100)
        let report = SampleReports.report()
        let json = ReportRenderer.render(report, format: .gradescope, options: options)
        let results = try JSONDecoder().decode(Results.self, from: Data(json.utf8))
        #expect(results.output_format == "md")
        #expect(results.visibility == "visible")
        #expect(results.stdout_visibility == "hidden")
        #expect(results.execution_time == 3.46)
        #expect(results.output.contains("NOT CONFORMANT"))
        #expect(results.output.contains("Skipped: framing.no-lf"))
        #expect(abs(results.max_score - 100) < 1e-9)
        #expect(abs(results.tests.reduce(0) { $0 + $1.score } - results.score) < 1e-9)
        #expect(abs(results.tests.reduce(0) { $0 + $1.max_score } - results.max_score) < 1e-9)
        #expect(results.tests.count == 7)   // the skipped check is left out
        for test in results.tests {
            #expect(test.status == "passed" || test.status == "failed")
            #expect(Self.visibilities.contains(test.visibility))
            #expect(test.output_format == "md")
            #expect(test.score <= test.max_score + 1e-9)
        }
        let byID = Dictionary(uniqueKeysWithValues: results.tests.map { (String($0.name.prefix { $0 != ":" }), $0) })
        #expect(byID["lifecycle.close"]?.name == "lifecycle.close: The server closes the connection after its response")
        #expect(byID["lifecycle.close"]?.number == "3.1")
        #expect(byID["lifecycle.keeps-serving"]?.number == "3.3")
        #expect(byID["random.endpoints"]?.number == "7.2")
        #expect(byID["random.uniformity"]?.visibility == "hidden")
        #expect(byID["lifecycle.close"]?.visibility == "visible")
        #expect(byID["request.hostile"]?.tags == ["REQ-1", "CORE-8"])
        #expect(byID["request.hostile"]?.status == "failed")
        #expect(byID["format.no-trailing-newline"]?.status == "passed")
        #expect(byID["limit.connection-deadline"]?.status == "failed")
        #expect(byID["lifecycle.keeps-serving"]?.status == "failed")
        #expect(byID["lifecycle.keeps-serving"]?.score == 0)
    }

    @Test func evidenceFenceSurvivesBackticks() throws {
        let definition = CheckDefinition(id: "x.ticks", title: "ticks", level: .must, requirements: ["REQ-1"], profiles: [.request])
        let result = CheckResult(definition: definition, status: .fail, message: "got ```` and *stars*", expected: "``` fence")
        let json = ReportRenderer.render(SampleReports.report(results: [result]), format: .gradescope, options: ReportOptions())
        let test = try #require(try JSONDecoder().decode(Results.self, from: Data(json.utf8)).tests.first)
        #expect(test.output.hasPrefix("**Failed** (MUST): got \\`\\`\\`\\` and \\*stars\\*"))
        #expect(test.output.contains("\n`````text\n"))
        #expect(test.output.hasSuffix("\n`````"))
    }
}

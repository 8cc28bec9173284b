import Foundation
import RandWireConformance
import RandWireProtocol
@testable import RandWireReports
import RandWireTestSupport
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

    /// `maxScore` scaling of 7 checks worth 2 points each: summed in floating point, the total
    /// was `100.00000000000001` (and `100.00000000000003` for the example rubric).
    @Test func pointsAreRoundedAndStillAddUp() throws {
        func check(_ n: Int, _ level: RequirementLevel, _ status: CheckStatus) -> CheckResult {
            let definition = CheckDefinition(id: "x.check-\(n)", title: "check \(n)", level: level, requirements: [], profiles: [.request])
            return CheckResult(definition: definition, status: status, message: status.rawValue)
        }
        var options = ReportOptions()
        options.rubric = Rubric(maxScore: 100)
        let allPass = (1...7).map { check($0, .must, .pass) }
        let mixed = (1...5).map { check($0, .must, .pass) } + [check(6, .must, .fail), check(7, .should, .warn)]
        for (results, earned) in [(allPass, 100.0), (mixed, 10.5 * 100 / 13)] {
            let report = SampleReports.report(results: results)
            #expect(abs(options.rubric.score(report).earned - earned) < 1e-9)
            let json = ReportRenderer.render(report, format: .gradescope, options: options)
            for line in json.split(separator: "\n") where line.contains("\"score\" : ") || line.contains("\"max_score\" : ") {
                #expect(line.wholeMatch(of: /\s*"(max_)?score" : \d+(\.\d{1,4})?,?/) != nil, "\(line)")
            }
            let decoded = try JSONDecoder().decode(Results.self, from: Data(json.utf8))
            func units(_ x: Double) -> Int { Int((x * 10_000).rounded()) }
            #expect(decoded.max_score == 100)
            #expect(units(decoded.score) == units(earned) || abs(decoded.score - earned) <= 0.0001 * Double(results.count))
            #expect(decoded.tests.map { units($0.max_score) }.reduce(0, +) == units(decoded.max_score))
            #expect(decoded.tests.map { units($0.score) }.reduce(0, +) == units(decoded.score))
            #expect(decoded.tests.allSatisfy { $0.score <= $0.max_score })
        }
        let allPassJSON = ReportRenderer.render(SampleReports.report(results: allPass), format: .gradescope, options: options)
        #expect(allPassJSON.contains("\n  \"score\" : 100,\n"), "\(allPassJSON)")
        #expect(allPassJSON.contains("\n  \"max_score\" : 100,\n"))
        let allPassTests = try JSONDecoder().decode(Results.self, from: Data(allPassJSON.utf8)).tests
        #expect(allPassTests.map(\.max_score) == [14.2858] + Array(repeating: 14.2857, count: 6))
        #expect(allPassTests.map(\.score) == allPassTests.map(\.max_score))
    }

    /// The example rubric shows the randomness checks once the instructor publishes the grades,
    /// as docs/grading.md says: `after_published`, which Gradescope understands, not `hidden`.
    @Test func exampleRubricPublishesRandomnessChecksWithTheGrades() throws {
        var options = ReportOptions()
        options.rubric = try Rubric.load(path: PackagePaths.root.appendingPathComponent("Examples/rubric.json").path)
        #expect(options.rubric.hiddenVisibility == "after_published")
        let json = ReportRenderer.render(SampleReports.report(), format: .gradescope, options: options)
        let results = try JSONDecoder().decode(Results.self, from: Data(json.utf8))
        #expect(results.visibility == "visible")
        for test in results.tests {
            #expect(test.visibility == (test.name.hasPrefix("random.") ? "after_published" : "visible"), "\(test.name)")
        }
        #expect(json.contains("\"visibility\" : \"after_published\""))
    }
}

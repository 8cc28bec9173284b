import Foundation
import RandWireConformance
@testable import RandWireReports
import Testing

@Suite struct JSONReportTests {
    struct ScoreOnly: Decodable { let score: Score }

    @Test func decodesBackAsRunReportWithScore() throws {
        let report = SampleReports.report()
        let json = ReportRenderer.render(report, format: .json, options: ReportOptions())
        let decoded = try JSONDecoder().decode(RunReport.self, from: Data(json.utf8))
        #expect(decoded.results.map(\.id) == report.results.map(\.id))
        #expect(decoded.results.map(\.status) == report.results.map(\.status))
        #expect(decoded.results[2].message == SampleReports.hostile)
        #expect(decoded.results[2].transcripts[0].events.map(\.hex) == report.results[2].transcripts[0].events.map(\.hex))
        #expect(decoded.results[3].statistics == report.results[3].statistics)
        #expect(decoded.summary == report.summary)
        #expect(decoded.results[7].knownFailure)
        let score = try JSONDecoder().decode(ScoreOnly.self, from: Data(json.utf8)).score
        #expect(score == Rubric.default.score(report))
        #expect(json.hasSuffix("}\n"))
    }

    @Test(arguments: ["mixed", "conformant", "unreachable"])
    func matchesThePublishedSchema(sample: String) throws {
        let validator = try SchemaValidator(schemaFile: "report.schema.json")
        let report = switch sample {
        case "conformant": SampleReports.conformantReport()
        case "unreachable": SampleReports.report(unreachable: true)
        default: SampleReports.report()
        }
        let json = ReportRenderer.render(report, format: .json, options: ReportOptions())
        #expect(try validator.validate(json) == [])
    }

    @Test func schemaValidatorCatchesViolations() throws {
        let validator = try SchemaValidator(schemaFile: "report.schema.json")
        let json = ReportRenderer.render(SampleReports.report(), format: .json, options: ReportOptions())
        let broken = json.replacingOccurrences(of: "\"status\" : \"warn\"", with: "\"status\" : \"warning\"")
            .replacingOccurrences(of: "\"conformant\"", with: "\"conformist\"")
        let errors = try validator.validate(broken)
        #expect(errors.contains { $0.contains("not in enum") })
        #expect(errors.contains { $0.contains("missing conformant") })
    }

    @Test func checkListJSONAndHuman() throws {
        let definitions = [SampleReports.framing, SampleReports.close, SampleReports.uniformity, SampleReports.parity]
        let json = ReportRenderer.renderList(definitions, profile: "request", json: true)
        struct Root: Decodable { let profile: String; let checks: [Entry] }
        struct Entry: Decodable { let id: String; let section: String; let level: String; let requirements: [String] }
        let root = try JSONDecoder().decode(Root.self, from: Data(json.utf8))
        #expect(root.profile == "request")
        #expect(root.checks.map(\.section) == ["5", "3", "7", "6.4"])
        let human = ReportRenderer.renderList(definitions, profile: "request", json: false)
        let headings = human.split(separator: "\n").filter { $0.hasPrefix("§") }
        #expect(headings == ["§3 Transport and lifecycle", "§5 Request framing", "§6.4 parity", "§7 Randomness"])
        #expect(human.contains("lifecycle.close"))
        #expect(human.contains("MUST"))
        #expect(human.contains("CORE-3"))
        #expect(human.hasPrefix("4 checks for profile request"))
    }
}

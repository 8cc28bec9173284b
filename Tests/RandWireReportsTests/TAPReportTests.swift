import Foundation
import RandWireConformance
@testable import RandWireReports
import RandWireTestSupport
import Testing

@Suite struct TAPReportTests {
    /// TAP lines we emit (valid TAP 13 and TAP 14): version, plan, test points, comments, and YAML blocks indented by
    /// two spaces right after a test point.
    static var testPoint: Regex<AnyRegexOutput> { try! Regex(#"^(not )?ok (\d+) - ((?:[^#\\]|\\.)*?)( # (SKIP|TODO)( (?:[^#\\]|\\.)*)?)?$"#) }
    static var yamlLine: Regex<AnyRegexOutput> { try! Regex(#"^  ( *)(- )?[a-z_]+:( .*)?$"#) }

    struct Point { let ok: Bool; let number: Int; let description: String; let directive: String?; let yaml: [String] }

    /// Checks every line against the grammar and returns the test points.
    static func parse(_ tap: String) throws -> [Point] {
        let lines = tap.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.last == "")
        let body = lines.dropLast()
        #expect(body.first == "TAP version 13")
        var points: [Point] = []
        var plan: Int?
        var index = 1
        while index < body.count {
            let line = body[body.startIndex + index]
            index += 1
            if let match = line.wholeMatch(of: /1\.\.(\d+)/) {
                #expect(plan == nil, "one plan")
                plan = Int(match.1)
            } else if line.hasPrefix("#") {
                continue
            } else if let match = try testPoint.wholeMatch(in: line) {
                let ok = match.output[1].substring == nil
                let number = Int(match.output[2].substring!)!
                let description = String(match.output[3].substring!)
                let directive = match.output[5].substring.map(String.init)
                var yaml: [String] = []
                if index < body.count, body[body.startIndex + index] == "  ---" {
                    index += 1
                    while index < body.count, body[body.startIndex + index] != "  ..." {
                        let inner = body[body.startIndex + index]
                        #expect(try yamlLine.wholeMatch(in: inner) != nil, "YAML line: \(inner)")
                        yaml.append(inner)
                        index += 1
                    }
                    #expect(index < body.count, "YAML block closed")
                    index += 1
                }
                points.append(Point(ok: ok, number: number, description: description, directive: directive, yaml: yaml))
            } else {
                Issue.record("not a TAP line: \(line)")
            }
        }
        #expect(plan == points.count)
        #expect(points.map(\.number) == Array(1...points.count))
        return points
    }

    /// The value of `key:` in a YAML block, decoded: single-quoted, or double-quoted in JSON's escapes.
    static func value(_ key: String, in yaml: [String]) throws -> String? {
        guard let line = yaml.first(where: { $0.hasPrefix("  \(key): ") }) else { return nil }
        let raw = String(line.dropFirst("  \(key): ".count))
        if raw.hasPrefix("'") {
            #expect(raw.hasSuffix("'") && raw.count >= 2)
            let inner = raw.dropFirst().dropLast()
            #expect(!inner.replacingOccurrences(of: "''", with: "").contains("'"), "single quotes doubled")
            return inner.replacingOccurrences(of: "''", with: "'")
        }
        return raw.hasPrefix("\"") ? try JSONDecoder().decode(String.self, from: Data(raw.utf8)) : raw
    }

    @Test func followsTheTAP14Grammar() throws {
        let tap = ReportRenderer.render(SampleReports.report(), format: .tap, options: ReportOptions())
        let points = try Self.parse(tap)
        #expect(points.count == 8)
        #expect(points.map(\.ok) == [true, true, false, true, false, true, false, false])

        let close = points[0]
        #expect(close.description == "lifecycle.close [CORE-3] The server closes the connection after its response")
        #expect(close.yaml.isEmpty)

        let warn = points[1]
        #expect(warn.description.contains("(warning: SHOULD not met)"))
        #expect(try Self.value("severity", in: warn.yaml) == "warn")
        #expect(try Self.value("got", in: warn.yaml) == "\"15\\n\"")

        let hostile = points[2]
        #expect(hostile.description.contains(#"<&"'>"#))
        #expect(try Self.value("message", in: hostile.yaml) == SampleReports.hostile)
        #expect(try Self.value("severity", in: hostile.yaml) == "fail")
        #expect(try Self.value("level", in: hostile.yaml) == "MUST")
        #expect(try Self.value("expected", in: hostile.yaml)?.hasSuffix(SampleReports.hostile) == true)
        #expect(try Self.value("port", in: hostile.yaml) == "50003")
        #expect(hostile.yaml.contains("  requirements: ['REQ-1', 'CORE-8']"))
        #expect(hostile.yaml.contains("    - requirement: 'REQ-1'"))
        #expect(hostile.yaml.contains("      text: 'The server answers any non-empty request with one number in [min, max]; the request''s content is free.'"))

        let uniformity = points[3]
        #expect(uniformity.ok && uniformity.yaml.contains { $0.contains("verdict: 'ambiguous'") })

        let skip = points[5]
        #expect(skip.ok && skip.directive == "SKIP")

        let notJudged = points[6]
        #expect(!notJudged.ok && notJudged.directive == nil)
        #expect(try Self.value("severity", in: notJudged.yaml) == "not-judged")

        let known = points[7]
        #expect(!known.ok && known.directive == "TODO")

        #expect(tap.split(separator: "\n").last?.hasPrefix("# 2 passed, 2 failed, 1 warning, 1 skipped, 1 not judged, 1 known failure; score") == true)
    }

    @Test func hashesAndBackslashesInDescriptionsAreEscaped() throws {
        let definition = CheckDefinition(id: "x.hash", title: "has # and \\ and\nnewline", level: .must, requirements: [], profiles: [.bare])
        let result = CheckResult(definition: definition, status: .skip, message: "reason # with hash")
        let tap = ReportRenderer.render(SampleReports.report(results: [result]), format: .tap, options: ReportOptions())
        let points = try Self.parse(tap)
        #expect(points[0].description == ##"x.hash has \# and \\ and\\u{0A}newline"##)
        #expect(points[0].directive == "SKIP")
    }

    @Test func passingDetailsOnRequest() throws {
        var options = ReportOptions()
        options.showPassingDetails = true
        let points = try Self.parse(ReportRenderer.render(SampleReports.report(), format: .tap, options: options))
        #expect(try Self.value("severity", in: points[0].yaml) == "pass")
        #expect(try Self.value("port", in: points[0].yaml) == "50001")
    }

    static let prove = ManagedProcess.findExecutable("prove")

    /// Runs `prove` (TAP::Harness) on `tap` written to a `.tap` file; returns its exit code and output.
    static func prove(_ tap: String) throws -> (code: Int32?, output: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("randwire-tap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("report.tap")
        try Data(tap.utf8).write(to: file)
        let process = try ManagedProcess.start(try #require(prove), ["--norc", file.path])
        defer { process.terminate() }
        let code = process.waitForExit(timeout: .seconds(60))
        return (code, process.allStandardOutput + process.standardError)
    }

    @Test(.enabled(if: prove != nil, "prove (TAP::Harness, Debian package perl) is not on PATH"))
    func proveParsesPassingAndFailingRuns() throws {
        let passing = try Self.prove(ReportRenderer.render(SampleReports.conformantReport(), format: .tap, options: ReportOptions()))
        #expect(passing.code == 0, "\(passing.output)")
        #expect(passing.output.contains("All tests successful."), "\(passing.output)")
        #expect(passing.output.contains("Tests=4,"), "\(passing.output)")

        let failing = try Self.prove(ReportRenderer.render(SampleReports.report(), format: .tap, options: ReportOptions()))
        #expect(failing.code == 1, "\(failing.output)")
        #expect(failing.output.contains("Failed tests:  3, 5, 7") || failing.output.contains("Failed tests:  3 5 7"), "\(failing.output)")
        #expect(failing.output.contains("Tests=8,"), "\(failing.output)")
        for parseError in ["Parse errors", "unknown TAP", "version", "Bad plan"] {
            #expect(!passing.output.contains(parseError), "\(passing.output)")
            #expect(!failing.output.contains(parseError), "\(failing.output)")
        }
    }
}

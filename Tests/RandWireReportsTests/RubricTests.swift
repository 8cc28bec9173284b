import Foundation
import RandWireConformance
import RandWireProtocol
@testable import RandWireReports
import Testing

@Suite struct RubricTests {
    static func rubric(_ json: String) throws(RubricError) -> Rubric { try Rubric.parse(Data(json.utf8)) }

    static func error(_ json: String) -> RubricError? {
        do {
            _ = try rubric(json)
            return nil
        } catch {
            return error
        }
    }

    @Test func defaultScoring() {
        let report = SampleReports.report()
        let score = Rubric.default.score(report)
        func check(_ id: String) -> CheckScore { score.check(id)! }
        #expect(check("lifecycle.close").earned == 2 && check("lifecycle.close").possible == 2)
        #expect(check("format.no-trailing-newline").earned == 0.5 && check("format.no-trailing-newline").possible == 1)
        #expect(check("request.hostile").earned == 0 && check("request.hostile").possible == 2)
        #expect(check("random.uniformity").earned == 2)  // ambiguous, then passed: full credit by default
        #expect(check("framing.no-lf").possible == 0)    // skipped: 0 of 0
        #expect(check("limit.connection-deadline").earned == 0 && check("limit.connection-deadline").possible == 1)
        #expect(check("lifecycle.keeps-serving").earned == 0 && check("lifecycle.keeps-serving").possible == 2)
        #expect(score.earned == 4.5)
        #expect(score.possible == 12)
        #expect(!score.passedThreshold)
        #expect(score.checks.allSatisfy { $0.visibility == "visible" })

        let good = Rubric.default.score(SampleReports.conformantReport())
        #expect(good.passedThreshold)  // a warn costs SHOULD points, not the pass
        #expect(good.earned == 4.5 && good.possible == 5)
    }

    @Test("a check the checker's own limits left undecided costs the target nothing")
    func checkerLimitedIsWorthNothing() {
        var results = SampleReports.results()
        let index = results.firstIndex { $0.id == "limit.connection-deadline" }!
        results[index].checkerLimited = true
        let score = Rubric.default.score(SampleReports.report(results: results))
        #expect(score.check("limit.connection-deadline")?.possible == 0)
        #expect(score.check("limit.connection-deadline")?.earned == 0)
        #expect(score.possible == Rubric.default.score(SampleReports.report()).possible - 1)
    }

    @Test func precedenceExactThenGlobThenSectionThenLevel() throws {
        let rubric = try Self.rubric("""
        {"points": {"lifecycle.close": 5, "lifecycle.*": 3, "l*": 4, "section:3": 7, "section:6": 9, "section:6.4": 11,
                    "level:MUST": 1.5, "level:should": 0.25}}
        """)
        #expect(rubric.points(for: "lifecycle.close", section: "3", level: .must) == 5)
        #expect(rubric.points(for: "lifecycle.keeps-serving", section: "3", level: .must) == 3)   // the more specific glob
        #expect(rubric.points(for: "limit.connection-deadline", section: "8", level: .should) == 4)
        #expect(rubric.points(for: "format.single-write", section: "3", level: .should) == 7)
        #expect(rubric.points(for: "request.echo", section: "6.3", level: .must) == 9)          // section:6 covers 6.3
        #expect(rubric.points(for: "parity.eleven-digits", section: "6.4", level: .must) == 11) // longest section wins
        #expect(rubric.points(for: "random.uniformity", section: "7", level: .must) == 1.5)
        #expect(rubric.points(for: "framing.lf", section: "5", level: .should) == 0.25)
        #expect(rubric.points(for: "framing.lf", section: "5", level: .may) == 0)               // built-in default
        let sparse = try Self.rubric(#"{"points": {"lifecycle.close": 5}}"#)
        #expect(sparse.points(for: "random.uniformity", section: "7", level: .must) == 2)
        #expect(sparse.points(for: "format.single-write", section: "3", level: .should) == 1)
    }

    @Test func globMatching() {
        #expect(Rubric.glob("random.*", matches: "random.uniformity"))
        #expect(!Rubric.glob("random.*", matches: "randomness"))
        #expect(Rubric.glob("*.close", matches: "lifecycle.close"))
        #expect(Rubric.glob("l?fecycle.*e", matches: "lifecycle.close"))
        #expect(!Rubric.glob("l?fecycle.*e", matches: "lifecycle.closed"))
        #expect(Rubric.glob("*", matches: ""))
    }

    @Test func hiddenChecksAndVisibility() throws {
        let rubric = try Self.rubric(#"{"hidden": ["random.*", "section:8"], "hiddenVisibility": "after_published", "visibility": "after_due_date"}"#)
        let score = rubric.score(SampleReports.report())
        #expect(score.check("random.uniformity")?.visibility == "after_published")
        #expect(score.check("random.endpoints")?.visibility == "after_published")
        #expect(score.check("limit.connection-deadline")?.visibility == "after_published")
        #expect(score.check("lifecycle.close")?.visibility == "after_due_date")
    }

    @Test func partialCredit() throws {
        let rubric = try Self.rubric(#"{"partialCredit": {"statistical": 0.5, "warn": 0}}"#)
        let score = rubric.score(SampleReports.report())
        #expect(score.check("random.uniformity")?.earned == 1)
        #expect(score.check("format.no-trailing-newline")?.earned == 0)
        // An unambiguous statistical pass keeps full credit.
        var plain = SampleReports.results()[3]
        plain.statistics = [plain.statistics[1]]
        #expect(rubric.score(SampleReports.report(results: [plain])).earned == 2)
    }

    @Test func passThreshold() throws {
        let conformant = SampleReports.conformantReport()  // 4.5 of 5
        #expect(try Self.rubric(#"{"passThreshold": 0.9}"#).score(conformant).passedThreshold)
        #expect(try !Self.rubric(#"{"passThreshold": 0.95}"#).score(conformant).passedThreshold)
        let failing = SampleReports.report()  // 4.5 of 12
        #expect(try Self.rubric(#"{"passThreshold": 0.375}"#).score(failing).passedThreshold)
        #expect(try !Self.rubric(#"{"passThreshold": 0.38}"#).score(failing).passedThreshold)
        // Unreachable never passes, whatever the threshold.
        #expect(try !Self.rubric(#"{"passThreshold": 0}"#).score(SampleReports.report(results: [], unreachable: true)).passedThreshold)
        // Default: one MUST point short fails, even with everything else perfect.
        let unambiguousHalf = try Self.rubric(#"{"partialCredit": {"statistical": 0.5}}"#)
        let onlyUniformity = SampleReports.report(results: [SampleReports.results()[3]])
        #expect(!unambiguousHalf.score(onlyUniformity).passedThreshold)
        #expect(Rubric.default.score(onlyUniformity).passedThreshold)
    }

    @Test func maxScoreScaling() throws {
        let rubric = try Self.rubric(#"{"maxScore": 100}"#)
        let score = rubric.score(SampleReports.report())
        #expect(abs(score.possible - 100) < 1e-9)
        #expect(abs(score.earned - 37.5) < 1e-9)
        #expect(abs(score.checks.reduce(0) { $0 + $1.possible } - score.possible) < 1e-12)
        #expect(abs(score.check("lifecycle.close")!.possible - 100.0 / 6) < 1e-9)
        // Nothing possible: nothing to scale, no division by zero.
        let empty = rubric.score(SampleReports.report(results: [SampleReports.results()[5]]))
        #expect(empty.possible == 0 && empty.earned == 0 && empty.passedThreshold)
    }

    @Test(arguments: [
        (#"{"points": {"random.*": "two"}}"#, #"points."random.*""#, "expected a number ≥ 0, got a string"),
        (#"{"points": {"random.*": -1}}"#, #"points."random.*""#, "got -1"),
        (#"{"points": {"level:MUSTT": 1}}"#, #"points."level:MUSTT""#, "unknown level"),
        (#"{"points": {"section:seven": 1}}"#, #"points."section:seven""#, "section number"),
        (#"{"points": [1, 2]}"#, "points", "expected an object"),
        (#"{"hidden": ["random.*", 3]}"#, "hidden[1]", "expected a selector string, got a number"),
        (#"{"visibility": "public"}"#, "visibility", "expected one of visible, hidden, after_due_date, after_published"),
        (#"{"hiddenVisibility": true}"#, "hiddenVisibility", "got true"),
        (#"{"partialCredit": {"warn": 1.5}}"#, "partialCredit.warn", "between 0 and 1"),
        (#"{"partialCredit": {"ambiguous": 0.5}}"#, "partialCredit.ambiguous", "unknown field"),
        (#"{"passThreshold": 60}"#, "passThreshold", "0.6 means 60%"),
        (#"{"maxScore": 0}"#, "maxScore", "> 0"),
        (#"{"points": {}, "pionts": {}}"#, "pionts", "unknown field"),
        (#"[1]"#, "", "expected a JSON object"),
        (#"{"points": "#, "", "not valid JSON"),
    ])
    func loadErrorsNameTheField(json: String, field: String, message: String) {
        let error = Self.error(json)
        #expect(error?.field == field)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        if !field.isEmpty { #expect(error?.description.contains(field + ": ") == true) }
    }

    @Test func loadFromFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("randwire-rubric-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.json")
        try Data(#"{"$schema": "../Spec/rubric.schema.json", "description": "CS 101", "points": {"lifecycle.close": 5}, "maxScore": 10}"#.utf8).write(to: good)
        let rubric = try Rubric.load(path: good.path)
        #expect(rubric.points["lifecycle.close"] == 5 && rubric.maxScore == 10)

        let bad = directory.appendingPathComponent("bad.json")
        try Data(#"{"passThreshold": "high"}"#.utf8).write(to: bad)
        #expect(throws: RubricError.self) { try Rubric.load(path: bad.path) }
        do {
            _ = try Rubric.load(path: bad.path)
        } catch {
            #expect(error.description == "\(bad.path): passThreshold: expected a fraction between 0 and 1 (0.6 means 60%), got a string")
        }
        do {
            _ = try Rubric.load(path: directory.appendingPathComponent("missing.json").path)
            Issue.record("a missing file must throw")
        } catch {
            #expect(error.description.hasSuffix("missing.json: cannot read the file"))
        }
    }

    @Test func codableRoundTripAndSchema() throws {
        let rubric = try Self.rubric(#"{"points": {"random.*": 1, "level:MUST": 2}, "hidden": ["random.*"], "passThreshold": 0.6, "maxScore": 100, "partialCredit": {"warn": 0.25}}"#)
        let data = try JSONEncoder().encode(rubric)
        #expect(try JSONDecoder().decode(Rubric.self, from: data) == rubric)
        let validator = try SchemaValidator(schemaFile: "rubric.schema.json")
        #expect(try validator.validate(String(decoding: data, as: UTF8.self)) == [])
        #expect(try validator.validate(String(decoding: JSONEncoder().encode(Rubric.default), as: UTF8.self)) == [])
        #expect(try !validator.validate(#"{"points": {"level:MUSTT": 1}, "visibility": "public"}"#).isEmpty)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Rubric.self, from: Data(#"{"maxScore": -1}"#.utf8)) }
    }

    @Test func unmatchedSelectorsAreReported() throws {
        let rubric = try Self.rubric(#"{"points": {"lifecycle.close": 1, "lifecycle.clsoe": 1, "random.*": 1, "section:12": 1, "level:MAY": 0}, "hidden": ["nope.*"]}"#)
        let definitions = [SampleReports.close, SampleReports.uniformity]
        #expect(rubric.unmatchedSelectors(definitions) == ["lifecycle.clsoe", "nope.*", "section:12"])
    }
}

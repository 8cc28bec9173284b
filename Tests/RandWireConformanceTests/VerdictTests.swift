import Foundation
import Testing
import RandWireConformance
import RandWireProtocol
import RandWireServer
import RandWireSocket
import RandWireTestSupport

/// A verdict never claims more than was judged (spec section 11).
@Suite("Verdicts from results")
struct VerdictAssessmentTests {
    static let must = CheckDefinition(id: "basic.exchange", title: "t", level: .must, requirements: ["CORE-1"], profiles: [.bare])
    static let should = CheckDefinition(id: "limit.connection-deadline", title: "t", level: .should, requirements: ["LIMIT-2"], profiles: [.bare])

    static func result(_ definition: CheckDefinition, _ status: CheckStatus, message: String = "m", known: Bool = false) -> CheckResult {
        var result = CheckResult(definition: definition, status: status, message: message)
        result.knownFailure = known
        return result
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let results: [CheckResult]
        var strict = false
        var narrowed = false
        var unreachable = false
        let verdict: Verdict
        let exitCode: Int32
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "all passed", results: [result(must, .pass), result(should, .pass)], verdict: .conformant, exitCode: 0),
        Case(name: "a SHOULD warned", results: [result(must, .pass), result(should, .warn)], verdict: .conformant, exitCode: 0),
        Case(name: "a MUST failed", results: [result(must, .fail), result(should, .notJudged)], verdict: .notConformant, exitCode: 1),
        Case(name: "a MUST not judged", results: [result(must, .notJudged, message: "not judged: only 50 values"), result(should, .pass)],
             verdict: .incomplete, exitCode: 3),
        Case(name: "a SHOULD not judged, not strict", results: [result(must, .pass), result(should, .notJudged)], verdict: .conformant, exitCode: 0),
        Case(name: "a SHOULD not judged, strict", results: [result(must, .pass), result(should, .notJudged)], strict: true,
             verdict: .incomplete, exitCode: 3),
        Case(name: "a known failure and a MUST not judged", results: [result(must, .notJudged), result(should, .fail, known: true)],
             verdict: .incomplete, exitCode: 3),
        Case(name: "a known failure only", results: [result(must, .fail, known: true), result(should, .pass)], verdict: .passed, exitCode: 0),
        Case(name: "narrowed", results: [result(must, .pass), result(should, .skip, message: VerdictAssessment.deselectedMessage)],
             narrowed: true, verdict: .passed, exitCode: 0),
        Case(name: "unreachable", results: [result(must, .notJudged)], unreachable: true, verdict: .unreachable, exitCode: 69),
    ]

    @Test("verdict and exit code", arguments: cases)
    func verdict(_ testCase: Case) {
        let assessment = VerdictAssessment.assess(results: testCase.results, strict: testCase.strict,
                                                  unreachable: testCase.unreachable, narrowed: testCase.narrowed)
        #expect(assessment.verdict == testCase.verdict, "\(assessment.reason)")
        #expect(assessment.verdict.exitCode == testCase.exitCode)
        #expect(!assessment.reason.isEmpty)
    }

    @Test("the reason names the checks not judged and why")
    func incompleteReason() {
        let assessment = VerdictAssessment.assess(
            results: [Self.result(Self.must, .notJudged, message: "not judged: only 50 valid values were gathered (80 needed)")],
            strict: false, unreachable: false, narrowed: false)
        #expect(assessment.reason == "1 required check not judged, so conformance is undecided: basic.exchange: only 50 valid values were gathered (80 needed)")
    }

    @Test("a narrowed run says what it covers")
    func narrowedReason() {
        let assessment = VerdictAssessment.assess(
            results: [Self.result(Self.must, .pass), Self.result(Self.should, .skip, message: VerdictAssessment.deselectedMessage)],
            strict: false, unreachable: false, narrowed: true)
        #expect(assessment.reason.hasPrefix("1 of 2 checks selected"))
    }
}

@Suite("Verdicts of real runs", .serialized, .timeLimit(.minutes(2)))
struct RunVerdictTests {
    func reference(_ profile: Profile) throws -> ReferenceServer {
        var configuration = ServerConfiguration(parameters: profile.defaultParameters)
        configuration.port = 0
        configuration.threads = 1
        return try ReferenceServer.start(configuration)
    }

    @Test("too few samples: the randomness checks are not judged and the run is INCOMPLETE, exit 3")
    func tooFewSamples() async throws {
        let server = try reference(.csv)
        defer { server.stop() }
        var configuration = RunConfiguration(target: server.endpoint, parameters: Profile.csv.defaultParameters, fixtures: try FixtureLoader.builtIn())
        configuration.samples = 50
        configuration.connectionDeadlineLimit = .seconds(3)
        let report = await ConformanceRunner.runAsync(configuration)
        #expect(report.results.contains { $0.id.hasPrefix("random.") && $0.status == .notJudged })
        #expect(!report.results.contains { $0.status == .fail })
        #expect(report.verdict == .incomplete, "\(report.verdictReason)")
        #expect(!report.conformant)
        #expect(report.exitCode == 3)
        #expect(report.verdictReason.contains("random."))
        #expect(report.results.filter { $0.id.hasPrefix("random.") && $0.status == .notJudged }.allSatisfy { $0.checkerLimited == true && $0.message.contains("raise --samples") })
    }

    @Test("a server that stops accepting, its failure excused: INCOMPLETE, not conformant")
    func knownFailureAndCrash() async throws {
        var faults = Faults()
        faults.stopAfterConnections = 1
        let report = try await checkFaulty(.request, faults) { $0.knownFailures = ["lifecycle.keeps-serving"] }
        #expect(report.results.first { $0.id == "lifecycle.keeps-serving" }?.knownFailure == true)
        #expect(report.summary.knownFailures == 1)
        #expect(report.verdict == .incomplete, "\(report.verdictReason)")
        #expect(report.exitCode == 3)
    }

    @Test("--only: PASSED with what it covers, exit 0, never CONFORMANT")
    func narrowed() async throws {
        let server = try reference(.request)
        defer { server.stop() }
        var configuration = RunConfiguration(target: server.endpoint, parameters: Profile.request.defaultParameters, fixtures: try FixtureLoader.builtIn())
        configuration.only = ["framing.lf"]
        let report = await ConformanceRunner.runAsync(configuration)
        #expect(report.verdict == .passed)
        #expect(!report.conformant)
        #expect(report.exitCode == 0)
        #expect(report.verdictReason.hasPrefix("1 of \(report.results.count) checks selected"))
    }

    @Test("LIMIT-2 cut short by the run deadline is not judged, not failed, even under --strict")
    func connectionDeadlineCutShort() async throws {
        let server = try reference(.request)
        defer { server.stop() }
        var configuration = RunConfiguration(target: server.endpoint, parameters: Profile.request.defaultParameters, fixtures: try FixtureLoader.builtIn())
        configuration.only = ["basic.exchange", "concurrency.idle-client", "limit.connection-deadline"]
        configuration.strict = true
        configuration.runDeadline = .seconds(2)
        let report = await ConformanceRunner.runAsync(configuration)
        let limit = try #require(report.results.first { $0.id == "limit.connection-deadline" })
        #expect(limit.status == .notJudged, "\(limit.message)")
        #expect(limit.message.contains("raise --run-timeout"))
        #expect(limit.checkerLimited == true)
        #expect(report.verdict == .incomplete)
        #expect(report.exitCode == 3)
    }

    @Test("an answer wait ended by the run deadline is not judged as silence")
    func answerCutShort() async throws {
        // A listener that never accepts: the kernel completes every handshake, nothing answers.
        let listener = try Listener.bind(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        var configuration = RunConfiguration(target: Endpoint(host: "127.0.0.1", port: listener.address.port),
                                             parameters: Profile.request.defaultParameters, fixtures: try FixtureLoader.builtIn())
        configuration.only = ["basic.exchange"]
        configuration.answerTimeout = .seconds(5)
        configuration.runDeadline = .seconds(1)
        let report = await ConformanceRunner.runAsync(configuration)
        let basic = try #require(report.results.first { $0.id == "basic.exchange" })
        #expect(basic.status == .notJudged, "\(basic.message)")
        #expect(report.verdict == .incomplete)
    }
}

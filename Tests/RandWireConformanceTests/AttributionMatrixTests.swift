import Foundation
import Testing
import RandWireConformance
import RandWireProtocol
import RandWireTestSupport

/// One fault, one finding: each faulty server is charged exactly the requirement IDs the spec
/// gives its fault, compared as sets, with every echo of that fault shown as a consequence.
/// A change that adds or drops an ID fails here.
@Suite("Attribution: each fault charged to the requirement it breaks", .serialized, .timeLimit(.minutes(5)))
struct AttributionMatrixTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let profile: Profile
        let faults: Faults
        /// The IDs failed (or warned) across the whole report.
        let charged: Set<String>
        /// Checks that must not fail on their own account (the echoes the old runner charged):
        /// each passes or is a consequence of another check.
        var notFailing: Set<String> = []
        /// IDs a statistical fault may also be charged, depending on the sample.
        var mayAlsoCharge: Set<String> = []
        var testDescription: String { name }
    }

    static func faults(_ configure: (inout Faults) -> Void) -> Faults {
        var faults = Faults()
        configure(&faults)
        return faults
    }

    static let cases: [Case] = [
        // 1, 2, 3, 5: content faults are charged to content, once; framing, keeps-serving and
        // ROBUST-1 stay clean.
        Case(name: "a banner before every answer (request) is CORE-8 only", profile: .request,
             faults: faults { $0.respond = WrappedAnswers.wrapping { _, answer in Array("Welcome to the number server! ".utf8) + answer } },
             charged: ["CORE-8"], notFailing: ["lifecycle.keeps-serving", "framing.lf", "framing.unterminated", "request.binary"]),
        Case(name: "a prompt before every parity answer is CORE-8 only", profile: .parity,
             faults: faults { $0.respond = WrappedAnswers.wrapping { _, answer in Array("Result: ".utf8) + answer } },
             charged: ["CORE-8"], notFailing: ["framing.crlf", "framing.after-lf-ignored", "parity.letters"]),
        Case(name: "an echo of the request before the answer (double) is CORE-8, and CORE-4 where the echo makes it too long",
             profile: .double,
             faults: faults { $0.respond = WrappedAnswers.wrapping { request, answer in request.map { $0.content.isEmpty ? answer : $0.content + [0x0A] + answer } ?? answer } },
             charged: ["CORE-8", "CORE-4"], notFailing: ["framing.lf", "framing.split", "lifecycle.keeps-serving"]),
        Case(name: "a wrong even token is PARITY-1 only, not FRAME-1", profile: .parity,
             faults: faults { $0.respond = WrappedAnswers.wrapping { _, answer in answer == Array("even".utf8) ? Array("EVEN".utf8) : answer } },
             charged: ["PARITY-1"], notFailing: ["framing.lf", "framing.crlf", "framing.silent-before-request"]),
        // 6: two answers on one connection.
        Case(name: "two answers on one connection are CORE-2", profile: .bare,
             faults: faults { $0.respond = WrappedAnswers.wrapping { _, answer in answer + [0x0A] + answer } },
             charged: ["CORE-2"], notFailing: ["lifecycle.keeps-serving"]),
        // 4: dependent draws are RAND-2/RAND-3, not RAND-1.
        Case(name: "a clock-reseeded generator is charged to dependence, not uniformity", profile: .request,
             faults: faults { $0.respond = BiasedAnswers.clockSeeded() },
             charged: ["RAND-3"], mayAlsoCharge: ["RAND-2"]),
        // 10: the quiet time's upper bound.
        Case(name: "a 500 ms quiet time is FRAME-3", profile: .request,
             faults: faults { $0.quietTime = .milliseconds(500) }, charged: ["FRAME-3"]),
        // The faults the test support already plays.
        Case(name: "never closing is CORE-3", profile: .double, faults: faults { $0.neverClose = true }, charged: ["CORE-3"]),
        Case(name: "a trailing LF is CORE-6 (a warning)", profile: .csv, faults: faults { $0.trailer = Array("\n".utf8) }, charged: ["CORE-6"]),
        Case(name: "a split write is CORE-5 (a warning)", profile: .bare, faults: faults { $0.splitWrite = true }, charged: ["CORE-5"]),
        Case(name: "serving one client at a time is ROBUST-2 (a warning)", profile: .parity, faults: faults { $0.serial = true }, charged: ["ROBUST-2"]),
        Case(name: "waiting for an LF is FRAME-3", profile: .request, faults: faults { $0.waitForLineFeed = true }, charged: ["FRAME-3"]),
        Case(name: "answering the first read is FRAME-4", profile: .double, faults: faults { $0.answerFirstRead = true }, charged: ["FRAME-4"]),
        Case(name: "a greeting on accept is FRAME-5 and CORE-8", profile: .request,
             faults: faults { $0.banner = Array("hello ".utf8) }, charged: ["FRAME-5", "CORE-8"]),
        Case(name: "no connection deadline is LIMIT-2 (a warning)", profile: .request, faults: faults { $0.noConnectionDeadline = true }, charged: ["LIMIT-2"]),
        Case(name: "serving one connection only is CORE-9", profile: .request, faults: faults { $0.stopAfterConnections = 1 }, charged: ["CORE-9"]),
        // A death is ROBUST-1; the input it died on also went unanswered (spec section 9).
        Case(name: "dying on letters is ROBUST-1, and PARITY-3 for the unanswered input", profile: .parity,
             faults: faults { $0.dieOn = { request in request?.content == Array("abc".utf8) } }, charged: ["ROBUST-1", "PARITY-3"]),
    ]

    @Test("charged exactly the spec's IDs", arguments: cases)
    func charged(_ testCase: Case) async throws {
        let report = try await checkFaulty(testCase.profile, testCase.faults)
        let charged = report.requirementsFailed()
        #expect(charged.subtracting(testCase.mayAlsoCharge) == testCase.charged, "\(testCase.name):\n\(report.digest)")
        let rootFailures = Set(report.results.filter { $0.status == .fail && $0.consequenceOf == nil }.map(\.id))
        #expect(rootFailures.isDisjoint(with: testCase.notFailing), "\(testCase.name): \(rootFailures.intersection(testCase.notFailing))\n\(report.digest)")
        // Each fault is one root; every other failure is linked to a root that failed.
        let roots = report.results.filter { $0.status == .fail && $0.consequenceOf == nil }
        for echo in report.results where echo.consequenceOf != nil {
            #expect(roots.contains { $0.id == echo.consequenceOf }, "\(echo.id) → \(echo.consequenceOf ?? "")")
        }
    }

    @Test("a banner server's human report leads with its one root cause, its echoes under it")
    func bannerReport() async throws {
        var faults = Faults()
        faults.respond = WrappedAnswers.wrapping { _, answer in Array("Welcome! ".utf8) + answer }
        let report = try await checkFaulty(.request, faults)
        let roots = report.results.filter { $0.status == .fail && $0.consequenceOf == nil }
        #expect(roots.map(\.id) == ["basic.exchange"], "\(report.digest)")
        #expect(report.summary.failed == 1 && report.summary.consequences > 5, "\(report.summary)")
        #expect(report.verdictReason.hasPrefix("1 required check failed (and "), "\(report.verdictReason)")
    }
}

@Suite("Attribution: time for every check", .serialized, .timeLimit(.minutes(3)))
struct PhaseBudgetTests {
    @Test("7: a never-closing server does not eat the run deadline: the destructive fixtures are judged")
    func neverClosingRequestServer() async throws {
        var faults = Faults()
        faults.neverClose = true
        let clock = ContinuousClock()
        let started = clock.now
        let report = try await checkFaulty(.request, faults) { $0.samples = nil; $0.runDeadline = .seconds(30) }
        let elapsed = clock.now - started
        #expect(report.requirementsFailed() == ["CORE-3"], "\(report.digest)")
        for id in ["request.empty-half-close", "request.over-cap", "robust.flood"] {
            #expect(report.status(id) == .pass, "\(id): \(report.digest)")
        }
        #expect(elapsed < .seconds(60), "bounded by the run deadline")
    }

    @Test("9: a clock-seeded serial server with listen(1) is sampled one connection at a time, and caught")
    func serialSmallBacklog() async throws {
        var faults = Faults()
        faults.serial = true
        faults.backlog = 1
        faults.respond = BiasedAnswers.clockSeeded()
        let report = try await checkFaulty(.request, faults) { $0.samples = 400 }
        #expect(report.status("random.adjacent-repeats") == .fail, "\(report.digest)")
        #expect(report.requirementsFailed().subtracting(["RAND-2"]) == ["RAND-3", "ROBUST-2"], "\(report.digest)")
    }
}

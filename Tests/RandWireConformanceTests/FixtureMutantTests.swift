import Testing
import RandWireConformance
import RandWireProtocol
import RandWireSocket
import RandWireTestSupport

/// For every fixture check, a mutant of a correct server that deviates on that fixture's
/// request alone: the check must fail. Together with the fault tests for the built-in checks,
/// every check in the suite is shown able to fail.
@Suite("Every fixture check fails its mutant", .serialized, .timeLimit(.minutes(5)))
struct FixtureMutantTests {
    struct Case: Sendable, CustomStringConvertible {
        let fixture: Fixture
        let profile: Profile
        var description: String { "\(fixture.id) (\(profile))" }
    }

    static let cases: [Case] = {
        let fixtures = (try? FixtureLoader.builtIn()) ?? []
        return fixtures.flatMap { fixture in fixture.profiles.map { Case(fixture: fixture, profile: $0) } }
    }()

    static func matches(_ request: Request?, _ target: Request?) -> Bool {
        switch (request, target) {
        case (nil, nil): true
        case let (request?, target?): request.content == target.content && request.end == target.end
        default: false
        }
    }

    /// A correct server but for one request, which gets a wrong answer, no answer, or kills it.
    static func mutant(for fixture: Fixture, profile: Profile) -> Faults {
        var faults = Faults()
        let target = fixture.framedRequest
        if fixture.steps.contains(.reset) {
            // Whether the reset or the quiet time ends the request first, the mutant dies on it,
            // and serially, before it can accept the runner's next connection.
            faults.serial = true
            faults.dieOnReset = true
            faults.dieOn = { matches($0, target) }
        } else if fixture.response == .any {
            faults.dieOn = { matches($0, target) }
        } else {
            faults.respond = { request, parameters in
                var generator = SystemRandomNumberGenerator()
                let correct = ResponseEncoder.response(for: request, parameters: parameters, using: &generator)
                guard matches(request, target) else { return correct }
                // Wrong in the way that is wrong for every expectation: a reply when none is
                // due, a non-answer otherwise.
                return correct == nil ? Array("1".utf8) : Array("wrong".utf8)
            }
        }
        return faults
    }

    @Test("the fixture's check fails against a server wrong on that request only", arguments: cases)
    func mutantFails(_ testCase: Case) async throws {
        let report = try await checkFaulty(testCase.profile, Self.mutant(for: testCase.fixture, profile: testCase.profile),
                                           only: [testCase.fixture.id])
        #expect(report.status(testCase.fixture.id) == .fail, "\(testCase): \(report.digest)")
    }

    @Test("basic.exchange fails a server that answers the normal request wrongly", arguments: Profile.allCases)
    func basicFails(profile: Profile) async throws {
        var faults = Faults()
        faults.respond = { _, _ in Array("wrong".utf8) }
        let report = try await checkFaulty(profile, faults, only: ["basic.exchange"])
        #expect(report.status("basic.exchange") == .fail, "\(report.digest)")
    }
}

// Fuzz target `fixtures`: FixtureLoader.parse (the --fixtures JSON format) and what the runner
// derives from a loaded fixture. Input: the bytes of one fixture file.
// Invariants: never traps, whatever the JSON; a loaded fixture's framed request, expected
// answer and requirement are computable for each of its profiles; requirement IDs exist.
import Foundation
import RandWireProtocol

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFixtures(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    let fixtures: [Fixture]
    do {
        fixtures = try FixtureLoader.parse(bytes, file: "fuzz.json")
    } catch {
        require(!error.description.isEmpty, "empty error text")
        return 0
    }
    _ = try? FixtureLoader.checkUniqueIDs(fixtures)
    for fixture in fixtures {
        require(!fixture.profiles.isEmpty && !fixture.requirements.isEmpty, "loaded an empty fixture")
        let request = fixture.framedRequest
        if let request { require(request.content.count <= Limits.maxRequestBytes + 2, "framed \(request.content.count) bytes") }
        let definition = fixture.definition
        require(definition.id == fixture.id, "definition id differs")
        _ = definition.section
        for profile in fixture.profiles {
            let parameters = profile.defaultParameters
            let requirement = fixture.answerRequirement(parameters: parameters)
            require(Requirements.requirement(requirement) != nil, "unknown requirement \(requirement)")
            if let expected = fixture.expectedAnswer(parameters: parameters) {
                _ = expected.summary
                _ = ResponseJudge.judge(Array("42".utf8), expected: expected, requirement: requirement)
            }
        }
    }
    return 0
}

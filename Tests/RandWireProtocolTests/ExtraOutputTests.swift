import RandWireProtocol
import Testing

/// One fault, one requirement: a right answer wrapped in something else is CORE-2 or CORE-8,
/// not the profile's grammar.
@Suite("Answers with something around them")
struct ExtraOutputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let raw: String
        let profile: Profile
        let request: String?
        let requirement: String
        let fault: String?
        var testDescription: String { "\(profile) \(raw.debugDescription) → \(requirement)" }
    }

    static let cases: [Case] = [
        Case(raw: "Welcome! 15", profile: .bare, request: nil, requirement: "CORE-8", fault: #"extra-output:"Welcome! ""#),
        Case(raw: "Your number is 15.", profile: .bare, request: nil, requirement: "BARE-1", fault: #"grammar:"Your number is #.""#),
        Case(raw: "15 (have a nice day)", profile: .bare, request: nil, requirement: "CORE-8", fault: #"extra-output:" (have a nice day)""#),
        Case(raw: "Number: 4711", profile: .request, request: "hi", requirement: "CORE-8", fault: #"extra-output:"Number: ""#),
        Case(raw: "42\n84", profile: .double, request: "42", requirement: "CORE-8", fault: "echo"),
        Case(raw: "12\n13\n", profile: .bare, request: nil, requirement: "CORE-2", fault: "multiple-answers"),
        Case(raw: "even\neven", profile: .parity, request: "42", requirement: "CORE-2", fault: "multiple-answers"),
        Case(raw: "result: even", profile: .parity, request: "42", requirement: "CORE-8", fault: #"extra-output:"result: ""#),
        // Not extra output: grammar faults stay grammar faults.
        Case(raw: "15 ", profile: .bare, request: nil, requirement: "BARE-1", fault: ##"grammar:"# ""##),
        Case(raw: "1 5", profile: .bare, request: nil, requirement: "BARE-1", fault: ##"grammar:"# #""##),
        Case(raw: "1,2,3,4,5,6,7,8,9,10,", profile: .csv, request: nil, requirement: "CSV-1", fault: #"grammar:"""#),
        Case(raw: "EVEN", profile: .parity, request: "42", requirement: "PARITY-1", fault: #"wrong-answer:"EVEN""#),
        Case(raw: "84.0", profile: .double, request: "42", requirement: "DOUBLE-1", fault: #"wrong-answer:"84.0""#),
    ]

    @Test("charged to the requirement the fault breaks", arguments: cases)
    func charged(_ testCase: Case) {
        let request = testCase.request.map { Request(content: Array($0.utf8), end: .lineFeed) }
        let judgement = ResponseJudge.judge(Array(testCase.raw.utf8), request: request, parameters: testCase.profile.defaultParameters)
        let must = judgement.findings.filter { $0.level == .must }
        #expect(Set(must.map(\.requirement)) == [testCase.requirement], "\(judgement.findings)")
        #expect(must.first?.fault == testCase.fault, "\(judgement.findings)")
        #expect(!judgement.isAcceptable)
    }

    @Test("tokens with spaces are found inside a banner")
    func spacedTokens() throws {
        var parameters = ProfileParameters(profile: .parity)
        parameters.tokens = try Tokens.parse("even= PAR ,odd= ÍMPAR ")
        let request = Request(content: Array("42".utf8), end: .lineFeed)
        let judgement = ResponseJudge.judge(Array("Resultado: PAR ".utf8), request: request, parameters: parameters)
        #expect(judgement.findings.map(\.requirement) == ["CORE-8"], "\(judgement.findings)")
        #expect(judgement.value == .text(" PAR "))
    }
}

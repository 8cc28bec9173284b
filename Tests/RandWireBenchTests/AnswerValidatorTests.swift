@testable import RandWireBench
import RandWireProtocol
import Testing

@Suite("Answer validator")
struct AnswerValidatorTests {
    /// The validator's verdict must be the judge's, fast path or not.
    func agrees(_ profile: Profile, request: String?, answers: [String]) {
        let parameters = ProfileParameters(profile: profile)
        let requestBytes = request.map { Array($0.utf8) }
        let validator = AnswerValidator(parameters: parameters, request: requestBytes)
        let framed = AnswerValidator.frame(requestBytes)
        for answer in answers {
            let bytes = Array(answer.utf8)
            let verdict = bytes.withUnsafeBytes { validator.isAcceptable($0) }
            let judged = ResponseJudge.judge(bytes, request: framed, parameters: parameters).isAcceptable
            #expect(verdict == judged, "\(profile) \(ByteEscaping.escape(bytes)): validator \(verdict), judge \(judged)")
        }
    }

    @Test("bare: range, canonical form, terminators")
    func bare() {
        agrees(.bare, request: nil, answers: ["10", "20", "15\n", "15\r\n", "9", "21", "015", "+15", "-0", "1 5", "", "15\n\n", "15,16", "x", "\u{FF}"])
    }

    @Test("csv: field count and range")
    func csv() {
        agrees(.csv, request: nil, answers: ["1,2,3,4,5,6,7,8,9,10", "1,2,3,4,5,6,7,8,9", "1,2,3,4,5,6,7,8,9,101", "1,2,3,4,5,6,7,8,9,10,", "100,1,1,1,1,1,1,1,1,1\n", "0,1,1,1,1,1,1,1,1,1"])
    }

    @Test("request, parity and double: the answer depends on the request")
    func requestProfiles() {
        agrees(.request, request: "Example request\n", answers: ["1", "10000", "10001", "0", "5000\n"])
        agrees(.parity, request: "42\n", answers: ["even", "odd", "even\n", "evens", ""])
        agrees(.parity, request: "7", answers: ["odd", "even"])
        agrees(.double, request: "21\n", answers: ["42", "42\n", "41", "error"])
        agrees(.double, request: "abc\n", answers: ["error", "0"])
    }
}

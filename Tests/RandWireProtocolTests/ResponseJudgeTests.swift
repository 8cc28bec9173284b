import Testing
@testable import RandWireProtocol

@Suite("Response judgement (CORE-4/6/8/10 and the profile answers)")
struct ResponseJudgeTests {
    let bare = ProfileParameters(profile: .bare)
    let csv = ProfileParameters(profile: .csv)
    let parity = ProfileParameters(profile: .parity)
    let double = ProfileParameters(profile: .double)

    private func judge(_ text: String, _ parameters: ProfileParameters, request: String? = nil) -> ResponseJudgement {
        ResponseJudge.judge(Array(text.utf8), request: request.map { Request(content: Array($0.utf8), end: .halfClose) }, parameters: parameters)
    }

    private func requirements(_ judgement: ResponseJudgement) -> [String] { judgement.findings.map(\.requirement) }

    @Test("BARE-1: numbers in 10...20 pass, both ends included")
    func bareRange() {
        for value in 10...20 { #expect(judge(String(value), bare).isStrictlyClean) }
        #expect(requirements(judge("9", bare)) == ["BARE-1"])
        #expect(requirements(judge("21", bare)) == ["BARE-1"])
        #expect(judge("15", bare).value == .numbers([15]))
    }

    @Test("CORE-6/CORE-7: one trailing LF or CRLF is tolerated but flagged; two are malformed")
    func trailingNewline() {
        let lf = judge("15\n", bare)
        #expect(lf.isAcceptable && !lf.isStrictlyClean)
        #expect(lf.terminator == .lf)
        #expect(requirements(lf) == ["CORE-6"])
        #expect(judge("15\r\n", bare).terminator == .crlf)
        let double = judge("15\n\n", bare)
        #expect(!double.isAcceptable)
        #expect(double.problem?.hasPrefix("got \"15\\n\\n\" — ") == true)
    }

    @Test("CORE-10: non-canonical numbers", arguments: ["015", "+15", "-0"])
    func canonical(text: String) {
        let parameters = try! ProfileParameters(profile: .bare, min: -20, max: 20, count: 1)
        #expect(requirements(judge(text, parameters)) == ["CORE-10"])
    }

    @Test("malformed numbers name the profile requirement", arguments: ["", " 15", "15 ", "1 5", "abc", "1.5", "0x0F"])
    func malformed(text: String) {
        let judgement = judge(text, bare)
        #expect(!judgement.isAcceptable)
        #expect(requirements(judgement) == ["BARE-1"])
    }

    @Test("CORE-4 and CORE-8: over-long and non-UTF-8 responses")
    func limits() {
        #expect(requirements(ResponseJudge.judge(Array(repeating: 0x31, count: 1025), request: nil, parameters: bare)) == ["CORE-4"])
        #expect(requirements(ResponseJudge.judge([0x31, 0xFF], request: nil, parameters: bare)) == ["CORE-8"])
        #expect(ResponseJudge.judge([0x31, 0x00], request: nil, parameters: bare).isAcceptable == false)
    }

    @Test("CSV-1/CSV-2: batch structure and range")
    func batch() {
        #expect(judge("9,50,81,36,21,60,35,73,59,51", csv).isStrictlyClean)
        #expect(judge("1,1,1,1,1,1,1,1,1,100", csv).isStrictlyClean)
        #expect(requirements(judge("9,50,81,36,21,60,35,73,59", csv)) == ["CSV-1"])
        #expect(requirements(judge("9,50,81,36,21,60,35,73,59,51,", csv)).contains("CSV-1"))
        #expect(requirements(judge("9, 50,81,36,21,60,35,73,59,51", csv)) == ["CSV-1"])
        #expect(requirements(judge("0,50,81,36,21,60,35,73,59,101", csv)) == ["CSV-2", "CSV-2"])
        #expect(judge("9,50,81,36,21,60,35,73,59,51", csv).value == .numbers([9, 50, 81, 36, 21, 60, 35, 73, 59, 51]))
    }

    @Test("PARITY-1..5: tokens are compared byte for byte")
    func parityTokens() throws {
        #expect(judge("even", parity, request: "42").isStrictlyClean)
        #expect(judge("odd", parity, request: "-3").isStrictlyClean)
        #expect(requirements(judge("odd", parity, request: "42")) == ["PARITY-1"])
        #expect(judge("too-long", parity, request: "12345678901").isStrictlyClean)
        #expect(judge("error", parity, request: "abc").isStrictlyClean)
        #expect(requirements(judge("even", parity, request: "")) == ["PARITY-3"])
        var seed = parity
        seed.tokens = try Tokens.parse("even= PAR ,odd= ÍMPAR ")
        #expect(judge(" PAR ", seed, request: "4").isStrictlyClean)
        #expect(judge(" ÍMPAR ", seed, request: "7").isStrictlyClean)
        #expect(requirements(judge("PAR", seed, request: "4")) == ["PARITY-1"])
        seed.tooLongMode = .sameLength
        #expect(judge("abcdefghijklmnopqrstuvwxyzabcd", seed, request: String(repeating: "1", count: 30)).isStrictlyClean)
        #expect(requirements(judge("0-1-2-3-4-5-6-7-8-9-10", seed, request: String(repeating: "1", count: 11))) == ["PARITY-2"])
    }

    @Test("DOUBLE-1..3: exact doubles and the error token")
    func doubles() {
        #expect(judge("42", double, request: "21").isStrictlyClean)
        #expect(judge("246913578024691357802469135780", double, request: "123456789012345678901234567890").isStrictlyClean)
        #expect(requirements(judge("43", double, request: "21")) == ["DOUBLE-1"])
        #expect(judge("error", double, request: "abc").isStrictlyClean)
        #expect(judge("error", double, request: "").isStrictlyClean)
        #expect(judge("error", double, request: String(repeating: "9", count: 1024)).isStrictlyClean)
        #expect(ResponseJudge.governingRequirement(for: Request(content: Array(repeating: 0x39, count: 1024), end: .halfClose), parameters: double) == "DOUBLE-3")
    }

    @Test("REQ-2: nothing expected after an empty half-close")
    func emptyRequest() {
        #expect(ResponseJudge.judge([], request: nil, parameters: ProfileParameters(profile: .request)).isStrictlyClean)
        #expect(requirements(ResponseJudge.judge([0x31], request: nil, parameters: ProfileParameters(profile: .request))) == ["REQ-2"])
    }
}

@Suite("Parameters and encoder")
struct ParametersTests {
    @Test("validation rejects bad ranges and oversized batches")
    func validation() {
        #expect(throws: ParameterError.self) { try ProfileParameters(profile: .bare, min: 5, max: 4, count: 1) }
        #expect(throws: ParameterError.self) { try ProfileParameters(profile: .csv, min: 1, max: 100, count: 0) }
        #expect(throws: ParameterError.self) { try ProfileParameters(profile: .csv, min: 1, max: 100, count: 101) }
        #expect(throws: ParameterError.self) { try ProfileParameters(profile: .csv, min: -1_000_000_000_000, max: 1, count: 100) }
        #expect(throws: ParameterError.self) { try ProfileParameters(profile: .bare, min: 1, max: 2, count: 3) }
        #expect(throws: ParameterError.self) { try ProfileParameters(profile: .bare, min: 0, max: Int.max, count: 1) }
        #expect((try? ProfileParameters(profile: .bare, min: 7, max: 7, count: 1)) != nil)
    }

    @Test("tokens parse, reject unknown keys and duplicates")
    func tokens() throws {
        let tokens = try Tokens.parse("even=PAR,odd=ÍMPAR,too-long=LONG,error=ERR")
        #expect(tokens == Tokens(even: "PAR", odd: "ÍMPAR", tooLong: "LONG", error: "ERR"))
        #expect(throws: ParameterError.self) { try Tokens.parse("colour=red") }
        #expect(throws: ParameterError.self) { try Tokens.parse("even=odd") }
        #expect(throws: ParameterError.self) { try Tokens.parse("even") }
        #expect(try Tokens.parse(tokens.argument) == tokens)
    }

    @Test("the encoder writes canonical numbers", arguments: [0, 7, -7, 10, 100, -1_000_000_000_000_000, Int.max, Int.min + 1])
    func encoder(value: Int) {
        var out: [UInt8] = []
        ResponseEncoder.appendNumber(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == String(value))
    }

    @Test("reference responses always judge clean", arguments: Profile.allCases)
    func encoderAgreesWithJudge(profile: Profile) {
        var generator = SystemRandomNumberGenerator()
        let parameters = ProfileParameters(profile: profile)
        let requests: [String?] = profile.clientSendsRequest ? ["42", "-7", "", "abc", "12345678901", String(repeating: "9", count: 600)] : [nil]
        for text in requests {
            let request = text.map { Request(content: Array($0.utf8), end: .lineFeed) }
            let response = ResponseEncoder.response(for: request, parameters: parameters, using: &generator) ?? []
            let judgement = ResponseJudge.judge(response, request: request, parameters: parameters)
            #expect(judgement.isStrictlyClean, "\(profile) \(text ?? "-"): \(judgement.findings)")
        }
    }

    @Test("escaping shows control bytes and keeps UTF-8")
    func escaping() {
        #expect(ByteEscaping.escape(Array("15\n".utf8)) == "\"15\\n\"")
        #expect(ByteEscaping.escape([0x00, 0xFF, 0x0D]) == "\"\\0\\xFF\\r\"")
        #expect(ByteEscaping.escape(Array(" ÍMPAR ".utf8)) == "\" ÍMPAR \"")
    }
}

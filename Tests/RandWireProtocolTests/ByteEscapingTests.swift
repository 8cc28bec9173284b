import RandWireProtocol
import Testing

@Suite("Bytes shown to people")
struct ByteEscapingTests {
    @Test("a run of one byte is folded: \"1\" × 1025")
    func runs() {
        #expect(ByteEscaping.escape(Array(repeating: UInt8(ascii: "1"), count: 1025) + [0x0A]) == #""1" × 1025 + "\n""#)
        #expect(ByteEscaping.escape(Array("ab".utf8) + Array(repeating: 0, count: 20) + Array("c".utf8)) == #""ab" + "\0" × 20 + "c""#)
        // Short runs stay inline, so ordinary numbers read as before.
        #expect(ByteEscaping.escape(Array("1000000\n".utf8)) == #""1000000\n""#)
        #expect(ByteEscaping.escape([]) == #""""#)
    }

    @Test("a long string shows its first and last bytes and its length")
    func longStrings() {
        let bytes = (0..<1300).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        let text = ByteEscaping.escape(bytes)
        #expect(text.hasPrefix("\"abcdefghijklmnopqrstuvwxyzabcdef"))
        #expect(text.contains(" … 1300 bytes in all … "))
        #expect(text.hasSuffix("vwxyz\""), "\(text)")
        #expect(text.count < 260)
    }

    @Test("tokens that render alike are told apart by their octets")
    func difference() throws {
        let nfc = Array(" \u{00CD}MPAR ".utf8)       // Í precomposed
        let nfd = Array(" I\u{0301}MPAR ".utf8)      // I + combining acute
        let line = try #require(ByteEscaping.difference(received: nfd, expected: nfc))
        #expect(line == "received 9 octets, expected 8; first difference at octet 2: 49 CC 81 4D 50 41 … where C3 8D 4D 50 41 52 … was expected")
        #expect(ByteEscaping.difference(received: nfc, expected: nfc) == nil)
        #expect(ByteEscaping.difference(received: Array("ab".utf8), expected: Array("abc".utf8)) == "received 2 octets, expected 3; first difference at octet 3: nothing where 63 was expected")
    }

    @Test("a parity answer in the wrong normal form names the differing octets")
    func judgeShowsDifference() throws {
        var parameters = ProfileParameters(profile: .parity)
        parameters.tokens = try Tokens.parse("even= PAR ,odd= \u{00CD}MPAR ")
        let request = Request(content: Array("7".utf8), end: .lineFeed)
        let judgement = ResponseJudge.judge(Array(" I\u{0301}MPAR ".utf8), request: request, parameters: parameters)
        let message = try #require(judgement.findings.first?.message)
        #expect(message.contains("first difference at octet 2: 49 CC 81"), "\(message)")
    }
}

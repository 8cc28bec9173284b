import Testing
@testable import RandWireProtocol

@Suite("Request integer grammar (section 4) and arithmetic (DOUBLE-1)")
struct DecimalIntegerTests {
    @Test("accepted integers", arguments: [
        ("0", false, "0"), ("-0", true, "0"), ("+5", false, "5"), ("007", false, "007"),
        ("1234567890", false, "1234567890"), ("-42", true, "42"),
        ("12345678901234567890", false, "12345678901234567890"),
    ])
    func accepts(text: String, negative: Bool, digits: String) throws {
        let number = try DecimalInteger.parse(Array(text.utf8)).get()
        #expect(number.isNegative == negative)
        #expect(number.digits == Array(digits.utf8))
    }

    @Test("rejected requests name the problem", arguments: [
        ("", "the request is empty"),
        ("-", "a sign with no digits"),
        ("+", "a sign with no digits"),
        ("abc", "byte 0 is 'a', not a digit"),
        ("1 2", "byte 1 is a space, not a digit"),
        (" 7", "byte 0 is a space, not a digit"),
        ("7 ", "byte 1 is a space, not a digit"),
        ("3.5", "byte 1 is '.', not a digit"),
        ("1_000", "byte 1 is '_', not a digit"),
        ("0b101", "byte 1 is 'b', not a digit"),
        ("1\r", "byte 1 is CR, not a digit"),
        ("--1", "byte 1 is '-', not a digit"),
        ("٣", "byte 0 is \\xD9, not a digit"),
    ])
    func rejects(text: String, reason: String) {
        let result = DecimalInteger.parse(Array(text.utf8))
        guard case let .failure(rejection) = result else {
            Issue.record("expected \(text) to be rejected")
            return
        }
        #expect(rejection.description == reason)
    }

    @Test("NUL and invalid UTF-8 are rejected")
    func binary() {
        #expect(throws: DecimalInteger.Rejection.notADigit(offset: 1, byte: 0)) {
            try DecimalInteger.parse([0x31, 0x00]).get()
        }
        #expect(throws: DecimalInteger.Rejection.invalidUTF8) {
            try DecimalInteger.parse([0x31, 0xFF, 0xFE]).get()
        }
    }

    @Test("doubling is exact and canonical", arguments: [
        ("0", "0"), ("-0", "0"), ("007", "14"), ("+5", "10"), ("21", "42"), ("-4", "-8"),
        ("5", "10"), ("-5", "-10"), ("99999999999999999999", "199999999999999999998"),
        ("9223372036854775807", "18446744073709551614"),
        ("123456789012345678901234567890", "246913578024691357802469135780"),
        ("-000", "0"), ("0005", "10"),
    ])
    func doubling(text: String, doubled: String) throws {
        #expect(try DecimalInteger.parse(Array(text.utf8)).get().doubled() == doubled)
    }

    @Test("parity counts digits including leading zeros, not the sign")
    func parityCounting() {
        func verdict(_ text: String) -> ParityVerdict {
            ParityVerdict.classify(Request(content: Array(text.utf8), end: .halfClose))
        }
        #expect(verdict("1234567890") == .even)
        #expect(verdict("-1234567890") == .even)
        #expect(verdict("+1234567891") == .odd)
        #expect(verdict("12345678901") == .tooLong)
        #expect(verdict("00000000001") == .tooLong)
        #expect(verdict("0000000001") == .odd)
        #expect(verdict("0") == .even)
        #expect(verdict("-0") == .even)
        #expect(verdict("7") == .odd)
        #expect(verdict("12345678901234567890") == .tooLong)
        if case .error = verdict("") {} else { Issue.record("empty must be an error") }
        if case .error = verdict("1.0") {} else { Issue.record("float must be an error") }
        let overCap = Request(content: Array(repeating: 0x31, count: 1025), end: .overCap)
        if case .error = ParityVerdict.classify(overCap) {} else { Issue.record("over cap must be an error") }
    }
}

// Fuzz target `decimal`: DecimalInteger.parse, doubling (DOUBLE-1) and the parity verdict
// (PARITY-1..4). Input: one control byte (request end), then the request content.
// Invariants: parse agrees with the grammar `[+-] 1*DIGIT`; the doubled value is canonical,
// even, parses back, and matches Int arithmetic where Int is wide enough; parity agrees
// with the last digit and the 10-digit limit.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecimal(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    let content = input.rest()

    let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
    let signed = content.first == UInt8(ascii: "+") || content.first == UInt8(ascii: "-")
    let body = signed ? Array(content.dropFirst()) : content
    let grammatical = !body.isEmpty && body.allSatisfy(isDigit)

    let parsed = DecimalInteger.parse(content)
    switch parsed {
    case let .failure(reason):
        require(!grammatical, "rejected a valid integer: \(reason)")
        require(!reason.description.isEmpty, "empty rejection text")
        if case .invalidUTF8 = reason { require(String(validating: content, as: UTF8.self) == nil, "valid UTF-8 called invalid") }
        if case let .notADigit(offset, byte) = reason {
            require(offset < content.count && content[offset] == byte && !isDigit(byte), "wrong notADigit(\(offset), \(byte))")
        }
    case let .success(number):
        require(grammatical, "accepted \(ByteEscaping.escape(content))")
        require(number.digits == body && number.isNegative == (content.first == UInt8(ascii: "-")), "digits or sign differ")
        require(number.isEven == ((body.last! - 0x30) % 2 == 0), "isEven differs")
        let doubled = Array(number.doubled().utf8)
        guard case let .success(back) = DecimalInteger.parse(doubled) else {
            require(false, "doubled value \(ByteEscaping.escape(doubled)) does not parse")
            return 0
        }
        require(back.isEven, "doubled value is odd")
        require(doubled.first != UInt8(ascii: "+"), "doubled value has '+'")
        require(back.digits.count == 1 || back.digits[0] != 0x30, "doubled value has leading zeros")
        require(!(back.isNegative && back.isZero), "doubled value is -0")
        require(back.isZero == number.isZero, "zero changed by doubling")
        require(back.isZero || back.isNegative == number.isNegative, "sign changed by doubling")
        let significant = body.drop { $0 == 0x30 }
        require(back.isZero || back.digits.count == significant.count || back.digits.count == significant.count + 1, "digit count \(back.digits.count) for \(significant.count)")
        if significant.count <= 17, let value = Int(String(decoding: content, as: UTF8.self)) {
            require(String(value * 2) == number.doubled(), "\(value) doubled is not \(number.doubled())")
        }
    }

    let ends: [RequestEnd] = [.lineFeed, .halfClose, .quiet, .overCap]
    let end = ends[Int(control) % ends.count]
    let verdict = ParityVerdict.classify(Request(content: content, end: end))
    switch (verdict, parsed) {
    case (.error, _):
        if case .success = parsed { require(end == .overCap, "error verdict for a valid integer") }
    case let (.tooLong, .success(number)):
        require(end != .overCap && number.digitCount > Limits.parityMaxDigits, "tooLong for \(number.digitCount) digits")
    case let (.even, .success(number)), let (.odd, .success(number)):
        require(end != .overCap && number.digitCount <= Limits.parityMaxDigits, "verdict for \(number.digitCount) digits")
        require((verdict == .even) == number.isEven, "parity verdict differs from the last digit")
    default:
        require(false, "verdict \(verdict) for a rejected request")
    }
    return 0
}

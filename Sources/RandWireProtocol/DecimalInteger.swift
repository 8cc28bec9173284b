/// A decimal integer as the request grammar (section 4) defines it:
/// `integer = [ "+" / "-" ] 1*DIGIT`, with DIGIT the ASCII digits only.
/// Kept as digit text so any length up to the request cap works (DOUBLE-1).
public struct DecimalInteger: Sendable, Hashable {
    public let isNegative: Bool
    /// The digits as sent, leading zeros included (PARITY-1 counts them).
    public let digits: [UInt8]

    /// Why some bytes are not a decimal integer; one line for people.
    public enum Rejection: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        case signOnly
        case invalidUTF8
        case notADigit(offset: Int, byte: UInt8)

        public var description: String {
            switch self {
            case .empty: "the request is empty"
            case .signOnly: "a sign with no digits"
            case .invalidUTF8: "the request is not valid UTF-8"
            case let .notADigit(offset, byte):
                "byte \(offset) is \(ByteEscaping.describe(byte)), not a digit"
            }
        }
    }

    public static func parse(_ bytes: some Collection<UInt8>) -> Result<DecimalInteger, Rejection> {
        let all = Array(bytes)
        guard !all.isEmpty else { return .failure(.empty) }
        var start = 0
        var negative = false
        if all[0] == UInt8(ascii: "+") || all[0] == UInt8(ascii: "-") {
            negative = all[0] == UInt8(ascii: "-")
            start = 1
        }
        guard start < all.count else { return .failure(.signOnly) }
        for index in start..<all.count where !(0x30...0x39).contains(all[index]) {
            if String(validating: all, as: UTF8.self) == nil { return .failure(.invalidUTF8) }
            return .failure(.notADigit(offset: index, byte: all[index]))
        }
        return .success(DecimalInteger(isNegative: negative, digits: Array(all[start...])))
    }

    public var digitCount: Int { digits.count }

    public var isEven: Bool { (digits.last! - 0x30) % 2 == 0 }

    public var isZero: Bool { digits.allSatisfy { $0 == 0x30 } }

    /// Twice the value in canonical form (CORE-10): schoolbook doubling on the digit string.
    public func doubled() -> String {
        var out = [UInt8]()
        out.reserveCapacity(digits.count + 2)
        var carry: UInt8 = 0
        for digit in digits.reversed() {
            let value = (digit - 0x30) * 2 + carry
            out.append(0x30 + value % 10)
            carry = value / 10
        }
        if carry > 0 { out.append(0x30 + carry) }
        while out.count > 1 && out.last == 0x30 { out.removeLast() }
        if isNegative && !(out.count == 1 && out[0] == 0x30) { out.append(UInt8(ascii: "-")) }
        return String(decoding: out.reversed(), as: UTF8.self)
    }
}

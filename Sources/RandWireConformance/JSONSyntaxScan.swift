/// Locates the first syntax error of a JSON text (RFC 8259), for messages that point at a line
/// and column: Foundation's JSON errors on Linux carry at best a byte offset. Iterative (an
/// explicit stack of open containers), so a deeply nested input cannot exhaust the thread's stack.
enum JSONSyntaxScan {
    struct Failure: Equatable, Sendable {
        /// 1-based, counted in lines (LF) and characters (UTF-8 sequences) as editors show them.
        var line: Int
        var column: Int
        var problem: String
    }

    /// The first place `bytes` stops being JSON, or nil when the scan finds none.
    static func firstError(in bytes: [UInt8]) -> Failure? {
        guard let (offset, problem) = scan(bytes) else { return nil }
        return position(of: offset, in: bytes, problem: problem)
    }

    private enum Expect { case value, valueOrClose, key, keyOrClose, colon, commaOrClose, end }

    private static func scan(_ bytes: [UInt8]) -> (Int, String)? {
        var open: [UInt8] = []  // "[" or "{" of each unclosed container
        var expect = Expect.value
        var index = 0
        func afterValue() { expect = open.isEmpty ? .end : .commaOrClose }
        while true {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
            guard index < bytes.count else {
                if expect == .end { return nil }
                if let last = open.last { return (index, "the file ends inside \(last == UInt8(ascii: "[") ? "an array" : "an object") (a missing '\(last == UInt8(ascii: "[") ? "]" : "}")'?)") }
                return (index, "the file ends before any value")
            }
            let byte = bytes[index]
            switch expect {
            case .end:
                return (index, "unexpected \(shown(byte)) after the end of the JSON value")
            case .colon:
                guard byte == UInt8(ascii: ":") else { return (index, "expected ':' after the key, found \(shown(byte))") }
                index += 1
                expect = .value
            case .commaOrClose:
                let close = open.last == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
                if byte == UInt8(ascii: ",") {
                    index += 1
                    expect = open.last == UInt8(ascii: "[") ? .value : .key
                } else if byte == close {
                    index += 1
                    open.removeLast()
                    afterValue()
                } else {
                    return (index, "expected ',' or '\(Character(Unicode.Scalar(close)))', found \(shown(byte)) (a missing comma?)")
                }
            case .key, .keyOrClose:
                if expect == .keyOrClose, byte == UInt8(ascii: "}") {
                    index += 1
                    open.removeLast()
                    afterValue()
                } else if byte == UInt8(ascii: "\"") {
                    if let failure = string(bytes, &index) { return failure }
                    expect = .colon
                } else {
                    return (index, "expected a key in double quotes, found \(shown(byte))\(expect == .key ? " (a comma before '}'?)" : "")")
                }
            case .value, .valueOrClose:
                switch byte {
                case UInt8(ascii: "]") where expect == .valueOrClose:
                    index += 1
                    open.removeLast()
                    afterValue()
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    open.append(byte)
                    index += 1
                    expect = byte == UInt8(ascii: "[") ? .valueOrClose : .keyOrClose
                case UInt8(ascii: "\""):
                    if let failure = string(bytes, &index) { return failure }
                    afterValue()
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if let failure = number(bytes, &index) { return failure }
                    afterValue()
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    guard let word = ["true", "false", "null"].first(where: { bytes[index...].starts(with: $0.utf8) }) else {
                        return (index, "unexpected word (JSON has true, false, null, numbers and strings in double quotes)")
                    }
                    index += word.utf8.count
                    afterValue()
                default:
                    return (index, "expected a value, found \(shown(byte))\(byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") ? " (a comma before it?)" : "")")
                }
            }
        }
    }

    /// A string starting at the quote at `index`; on success `index` is past its closing quote.
    private static func string(_ bytes: [UInt8], _ index: inout Int) -> (Int, String)? {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return nil
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else {
                    index = bytes.count
                    continue
                }
                let escape = bytes[index + 1]
                if escape == UInt8(ascii: "u") {
                    let digits = bytes[(index + 2)..<min(index + 6, bytes.count)]
                    guard digits.count == 4, digits.allSatisfy({ UInt8(ascii: "0")...UInt8(ascii: "9") ~= $0 || UInt8(ascii: "a")...UInt8(ascii: "f") ~= $0 | 0x20 }) else {
                        return (index, "'\\u' needs four hex digits")
                    }
                    index += 6
                } else if Array(#""\/bfnrt"#.utf8).contains(escape) {
                    index += 2
                } else {
                    return (index, "unknown escape \\\(shown(escape, quoted: false)) in a string (write \\\\ for a backslash)")
                }
            case 0..<0x20:
                return (index, "a control character (\(shown(byte))) inside a string: write \\n, \\t, or close the string's quote")
            default:
                index += 1
            }
        }
        return (index, "the file ends inside a string (a missing '\"'?)")
    }

    /// A number starting at `index`; on success `index` is past it.
    private static func number(_ bytes: [UInt8], _ index: inout Int) -> (Int, String)? {
        func digits() -> Int {
            let start = index
            while index < bytes.count, UInt8(ascii: "0")...UInt8(ascii: "9") ~= bytes[index] { index += 1 }
            return index - start
        }
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integer = index
        guard digits() > 0 else { return (index, "a number needs a digit after '-'") }
        if bytes[integer] == UInt8(ascii: "0"), index - integer > 1 { return (start, "a number cannot start with 0 (leading zeros are not JSON)") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return (index, "a number needs digits after '.'") }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return (index, "a number needs digits in its exponent") }
        }
        return nil
    }

    private static func shown(_ byte: UInt8, quoted: Bool = true) -> String {
        if (0x21..<0x7F).contains(byte) {
            let character = String(Character(Unicode.Scalar(byte)))
            return quoted ? "'\(character)'" : character
        }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" : "")\(hex)"
    }

    private static func position(of offset: Int, in bytes: [UInt8], problem: String) -> Failure {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return Failure(line: line, column: column, problem: problem)
    }
}

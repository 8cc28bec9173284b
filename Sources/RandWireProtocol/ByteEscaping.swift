/// Shows bytes to people so that LF, CR, NUL and binary are visible (`"15\n"`), for errors and
/// reports. Valid UTF-8 text is shown as text; everything else as `\xNN`.
public enum ByteEscaping {
    /// A run of one byte at least this long is shown as `"1" × 1025`.
    public static let runThreshold = 12

    /// The bytes for people, in every human-facing format: escaped, quoted, runs of one byte
    /// shown as `"1" × 1025`, and past `limit` characters the first and last bytes with the
    /// total between (`"GET /…" … 1300 bytes … "…\r\n"`). Reports keep the exact bytes in hex.
    public static func escape(_ bytes: some Collection<UInt8>, limit: Int = 200) -> String {
        let array = Array(bytes)
        let full = segments(array[...])
        if full.count <= max(limit, 8) + 2 { return full }
        // Too long even with runs folded: show both ends, as much of each as the limit allows.
        let tailBytes = max(4, limit / 4)
        let headBytes = max(4, limit - tailBytes)
        guard array.count > headBytes + tailBytes else { return full }
        let head = segments(array[..<headBytes])
        let tail = segments(array[(array.count - tailBytes)...])
        return "\(head) … \(array.count) bytes in all … \(tail)"
    }

    /// Quoted text pieces and `"x" × n` runs joined by ` + `.
    static func segments(_ bytes: ArraySlice<UInt8>) -> String {
        if bytes.isEmpty { return "\"\"" }
        var parts: [String] = []
        var text: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            var runEnd = index
            while runEnd < bytes.endIndex && bytes[runEnd] == bytes[index] { runEnd += 1 }
            if runEnd - index >= runThreshold {
                if !text.isEmpty { parts.append(quoted(text)); text.removeAll() }
                parts.append("\(quoted([bytes[index]])) × \(runEnd - index)")
            } else {
                text.append(contentsOf: bytes[index..<runEnd])
            }
            index = runEnd
        }
        if !text.isEmpty { parts.append(quoted(text)) }
        return parts.joined(separator: " + ")
    }

    static func quoted(_ array: [UInt8]) -> String {
        var out = "\""
        var index = 0
        while index < array.count {
            let byte = array[index]
            switch byte {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x00: out += "\\0"
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            case 0xC2...0xF4:
                let length = byte >= 0xF0 ? 4 : (byte >= 0xE0 ? 3 : 2)
                if index + length <= array.count, let text = String(validating: array[index..<index + length], as: UTF8.self) {
                    out += text
                    index += length
                    continue
                }
                out += hex(byte)
            default: out += hex(byte)
            }
            index += 1
        }
        return out + "\""
    }

    /// Where two byte strings that may look alike differ, for a finding: `received 8 octets,
    /// expected 7; they differ at octet 2: C3 8D where 49 CC 81 was expected`. Nil when equal.
    public static func difference(received: some Collection<UInt8>, expected: some Collection<UInt8>) -> String? {
        let got = Array(received), want = Array(expected)
        guard got != want else { return nil }
        var at = 0
        while at < got.count && at < want.count && got[at] == want[at] { at += 1 }
        func octets(_ bytes: [UInt8]) -> String {
            if at >= bytes.count { return "nothing" }
            let window = bytes[at..<min(bytes.count, at + 6)].map { hexPair($0) }.joined(separator: " ")
            return bytes.count > at + 6 ? window + " …" : window
        }
        var line = "received \(got.count) octet\(got.count == 1 ? "" : "s"), expected \(want.count)"
        line += "; first difference at octet \(at + 1): \(octets(got)) where \(octets(want)) was expected"
        return line
    }

    static func hexPair(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])"
    }

    /// One byte, named for an error message: `'a'`, `LF`, `0xFF`.
    public static func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x0A: "LF"
        case 0x0D: "CR"
        case 0x00: "NUL"
        case 0x20: "a space"
        case 0x21...0x7E: "'\(Character(Unicode.Scalar(byte)))'"
        default: hex(byte)
        }
    }

    private static func hex(_ byte: UInt8) -> String { "\\x" + hexPair(byte) }
}

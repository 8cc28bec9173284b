/// Shows bytes to people so that LF, CR, NUL and binary are visible (`"15\n"`), for errors and
/// reports. Valid UTF-8 text is shown as text; everything else as `\xNN`.
public enum ByteEscaping {
    public static func escape(_ bytes: some Collection<UInt8>, limit: Int = 200) -> String {
        let array = Array(bytes.prefix(limit))
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
        out += "\""
        if bytes.count > limit { out += "… (\(bytes.count) bytes)" }
        return out
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

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "\\x\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])"
    }
}

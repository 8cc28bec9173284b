#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Escaping for each output format. Evidence text arrives already escaped by `ByteEscaping`,
/// but messages and titles come from fixtures anyone can write, so every writer escapes again.
package enum TextEscaping {
    /// Text safe for XML 1.0 character data and attribute values: markup escaped, characters
    /// XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE, U+FFFF) shown as `\u{1B}`, and
    /// tab/LF/CR as character references so attribute normalisation does not eat them.
    static func xml(_ text: String) -> String {
        markup(text, apostrophe: "&apos;") { scalar in
            switch scalar {
            case "\n": "&#10;"
            case "\r": "&#13;"
            case "\t": "&#9;"
            default: isXMLIllegal(scalar) ? visible(scalar) : nil
            }
        }
    }

    /// Text for HTML content and attribute values (`summary.html`): markup escaped, tab and LF
    /// kept, every other C0 or C1 control shown as `\u{1B}` (hex digits unpadded).
    package static func html(_ text: String) -> String {
        markup(text, apostrophe: "&#39;") { scalar in
            let value = scalar.value
            guard scalar != "\n", scalar != "\t", value < 0x20 || (0x7F...0x9F).contains(value) else { return nil }
            return "\\u{" + String(value, radix: 16, uppercase: true) + "}"
        }
    }

    /// The markup characters escaped, `'` as `apostrophe`; every other scalar as `other` spells
    /// it, or as itself where `other` returns nil.
    private static func markup(_ text: String, apostrophe: String, other: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += apostrophe
            default:
                if let spelled = other(scalar) { out += spelled } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    static func isXMLIllegal(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 { return value != 0x09 && value != 0x0A && value != 0x0D }
        return value == 0xFFFE || value == 0xFFFF
    }

    /// A YAML double-quoted scalar (also a valid JSON string). Escapes everything YAML forbids
    /// raw in a stream: C0 and C1 controls, DEL, U+FEFF, U+FFFE, U+FFFF.
    static func yamlQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFEFF || value == 0xFFFE || value == 0xFFFF {
                    out += "\\u" + hex(value, width: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A YAML scalar for people: single-quoted (no escapes to read twice) when the text has
    /// nothing YAML would need escaped, else double-quoted.
    static func yamlScalar(_ text: String) -> String {
        let needsEscapes = text.unicodeScalars.contains { scalar in
            let value = scalar.value
            return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFEFF || value == 0xFFFE || value == 0xFFFF
        }
        if needsEscapes { return yamlQuoted(text) }
        return "'" + text.replacing("'", with: "''") + "'"
    }

    /// One line of terminal text: controls (ESC above all) shown, never interpreted.
    static func terminal(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if scalar == "\t" {
                out += " "
            } else if value < 0x20 || (0x7F...0x9F).contains(value) {
                out += visible(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A TAP description: no line breaks, `#` and `\` escaped (TAP 14, "Escaping").
    static func tapDescription(_ text: String) -> String {
        var out = ""
        for character in terminal(text) {
            switch character {
            case "\\": out += "\\\\"
            case "#": out += "\\#"
            default: out.append(character)
            }
        }
        return out
    }

    /// A Markdown code fence longer than any backtick run inside `text`.
    static func markdownFence(for text: String) -> String {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// Markdown inline text with its punctuation escaped, for names and messages outside fences.
    static func markdownInline(_ text: String) -> String {
        var out = ""
        for character in terminal(text) {
            if "\\`*_{}[]()<>#+!|~".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    static func visible(_ scalar: Unicode.Scalar) -> String { "\\u{" + hex(scalar.value, width: 2) + "}" }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Numbers for people and for machine formats, without locale surprises.
package enum NumberText {
    /// `x` rounded to at most `places` decimals, trailing zeros dropped: 38, 38.5, 0.125.
    static func trimmed(_ x: Double, places: Int = 2) -> String {
        let fixed = fixed(x, places: places)
        guard fixed.contains(".") else { return fixed }
        var text = Substring(fixed)
        while text.hasSuffix("0") { text = text.dropLast() }
        if text.hasSuffix(".") { text = text.dropLast() }
        return text == "-0" ? "0" : String(text)
    }

    /// `x` with exactly `places` decimals (JUnit `time`, seconds).
    package static func fixed(_ x: Double, places: Int) -> String {
        guard x.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9e15 else { return String(x) }
        let integer = Int(scaled)
        let divisor = Int(scale)
        let sign = x < 0 && integer > 0 ? "-" : ""
        guard places > 0 else { return "\(sign)\(integer)" }
        var fraction = String(integer % divisor)
        while fraction.count < places { fraction = "0" + fraction }
        return "\(sign)\(integer / divisor).\(fraction)"
    }

    /// Milliseconds for people: `12.3 ms`, `2.0 s`.
    static func duration(milliseconds: Double) -> String {
        milliseconds >= 1000 ? fixed(milliseconds / 1000, places: 1) + " s" : fixed(milliseconds, places: 1) + " ms"
    }

    /// A p-value or statistic with about three significant digits.
    static func significant(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        if x == 0 { return "0" }
        let magnitude = abs(x)
        if magnitude >= 1e-3 && magnitude < 1e6 {
            var digits = 1
            var bound = 10.0
            while magnitude >= bound { digits += 1; bound *= 10 }
            return trimmed(x, places: max(0, 3 - digits))
        }
        var exponent = 0
        var mantissa = magnitude
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        return (x < 0 ? "-" : "") + trimmed(mantissa, places: 2) + "e" + String(exponent)
    }
}

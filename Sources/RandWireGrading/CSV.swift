/// RFC 4180 CSV, read and written. Reading is lenient where people are (CRLF or LF, a missing
/// final line break, spaces around fields) and strict where a mistake would shift columns (a
/// quote inside an unquoted field, an unterminated quoted field).
package enum CSV {
    /// One record with the line its first character is on (1-based), for error messages.
    package struct Record: Sendable, Hashable {
        package let line: Int
        package let fields: [String]
    }

    /// Why a text is not CSV.
    package struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        package let line: Int
        package let problem: String
        package var description: String { "line \(line): \(problem)" }
    }

    /// The records of `text`. A line with nothing but spaces is an empty record (one empty field);
    /// callers decide whether to skip it. Unquoted fields are trimmed of spaces and tabs; quoted
    /// fields keep every character between their quotes. With `comments`, a line that starts
    /// with `#` (outside a quoted field) is skipped whole, quotes and commas included.
    package static func parse(_ text: String, comments: Bool = false) throws(SyntaxError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [Character] = []
        var quoted = false  // the current field started with a quote
        var inQuotes = false
        var afterClosingQuote = false
        var line = 1
        var recordLine = 1
        var chars = Array(text)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }  // a BOM from spreadsheet exports
        var index = 0

        func endField() {
            let value = quoted ? String(field) : String(field).trimmingSpaces()
            fields.append(value)
            field = []
            quoted = false
            afterClosingQuote = false
        }
        func endRecord() {
            endField()
            records.append(Record(line: recordLine, fields: fields))
            fields = []
        }

        while index < chars.count {
            let c = chars[index]
            index += 1
            if inQuotes {
                if c == "\"" {
                    if index < chars.count && chars[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                    }
                } else {
                    // Swift treats CRLF as one Character; both count as one line break.
                    if c == "\n" || c == "\r\n" || c == "\r" { line += 1 }
                    field.append(c)
                }
                continue
            }
            if comments && c == "#" && fields.isEmpty && !quoted && field.allSatisfy({ $0 == " " || $0 == "\t" }) {
                field = []
                while index < chars.count && !(chars[index] == "\n" || chars[index] == "\r\n" || chars[index] == "\r") { index += 1 }
                if index < chars.count { index += 1 }
                line += 1
                recordLine = line
                continue
            }
            switch c {
            case ",":
                endField()
            case "\n", "\r\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            case "\"":
                guard !afterClosingQuote else {
                    throw SyntaxError(line: line, problem: "a quote after the closing quote of a field (write \"\" for a quote inside a quoted field)")
                }
                guard field.allSatisfy({ $0 == " " || $0 == "\t" }) else {
                    throw SyntaxError(line: line, problem: "a quote inside an unquoted field (quote the whole field and double the quote: \"a \"\"b\"\"\")")
                }
                field = []
                quoted = true
                inQuotes = true
            default:
                if afterClosingQuote {
                    if c == " " || c == "\t" { continue }
                    throw SyntaxError(line: line, problem: "text after the closing quote of a field")
                }
                field.append(c)
            }
        }
        if inQuotes { throw SyntaxError(line: recordLine, problem: "a quoted field is never closed") }
        // A final line without a line break is still a record; an empty text has none.
        if !field.isEmpty || !fields.isEmpty || quoted { endRecord() }
        return records
    }

    /// One field as RFC 4180 writes it: quoted when it holds a comma, quote, CR, LF or edge space.
    package static func field(_ value: String) -> String {
        let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || value.first == " " || value.last == " "
        guard needsQuotes else { return value }
        return "\"" + value.replacingAll("\"", with: "\"\"") + "\""
    }

    /// One record, CRLF-terminated as RFC 4180 says.
    package static func row(_ values: [String]) -> String {
        values.map(field).joined(separator: ",") + "\r\n"
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }

    /// Plain substring replacement, so this file needs no Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

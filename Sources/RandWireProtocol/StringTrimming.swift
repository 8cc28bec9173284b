// Foundation's `trimmingCharacters(in:)` is not in FoundationEssentials on Linux; the targets that
// dropped Foundation (issue 16) trim with these.
package extension StringProtocol {
    /// Without leading and trailing whitespace: with line breaks too (Foundation's
    /// `.whitespacesAndNewlines`), or spaces and tabs only (`.whitespaces`) when `newlines` is false.
    func trimmingWhitespace(newlines: Bool = true) -> String {
        let isSpace: (Character) -> Bool = { newlines ? $0.isWhitespace : $0.isWhitespace && !$0.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

/// Greedy word wrapping for help text.
enum TextWrapping {
    /// Wraps `text` so no line exceeds `width` columns, indenting every line by `indent` spaces.
    ///
    /// Existing line breaks are kept (blank lines stay blank, unindented) and so is a line's own
    /// leading indentation, for examples in discussions; runs of inner spaces collapse; a word
    /// longer than the room gets a line to itself rather than being split.
    /// At least 20 columns are always left for text, so a tiny width still reads.
    static func wrap(_ text: String, width: Int, indent: Int = 0) -> String {
        let room = max(width - indent, 20)
        let margin = String(repeating: " ", count: indent)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let ownIndent = String(paragraph.prefix { $0 == " " })
            let margin = margin + ownIndent
            let room = max(room - ownIndent.count, 1)
            var line = ""
            for word in paragraph.split(separator: " ") {
                if line.isEmpty {
                    line = String(word)
                } else if line.count + 1 + word.count <= room {
                    line += " " + word
                } else {
                    lines.append(margin + line)
                    line = String(word)
                }
            }
            lines.append(line.isEmpty ? "" : margin + line)
        }
        return lines.joined(separator: "\n")
    }
}

/// A man page (roff, `man -l`) from the same command tree the help text comes from.
package enum ManualPage {
    /// The page for `root` and every subcommand; `date` as `YYYY-MM-DD`.
    package static func page(for root: CommandSpec, version: String, date: String) -> String {
        var lines = [
            ".TH \(escape(root.name.uppercased())) 1 \"\(date)\" \"\(escape(root.name)) \(escape(version))\" \"User Commands\"",
            ".SH NAME",
            "\(escape(root.name)) \\- \(escape(root.abstract))",
            ".SH SYNOPSIS",
            ".B \(escape(root.name))",
            ".I subcommand",
            "[\\fIoptions\\fR] [\\fIarguments\\fR]",
        ]
        if let discussion = root.discussion {
            lines += [".SH DESCRIPTION", escape(discussion)]
        }
        lines.append(".SH COMMANDS")
        for command in root.subcommands {
            lines += [".SS \"\(escape(root.name)) \(escape(command.name))\"", escape(command.abstract)]
            if let discussion = command.discussion { lines += [".PP", escape(discussion)] }
            for positional in command.positionals {
                lines += [".TP", "\\fI\(escape(positional.name))\\fR", escape(positional.help)]
            }
            for option in command.options {
                let names = option.names.map { "\\fB\(escape($0))\\fR" }.joined(separator: ", ")
                let value = option.valueName.map { " \\fI<\(escape($0))>\\fR" } ?? ""
                var help = escape(option.help)
                if let defaultValue = option.defaultValue { help += " (default: \(escape(defaultValue)))" }
                lines += [".TP", names + value, help]
            }
        }
        lines += [".SH SEE ALSO", "The specification, Spec/randwire.md, and docs/grading.md in the RandWire repository.", ""]
        return lines.joined(separator: "\n")
    }

    /// Text safe in roff: backslashes and dashes escaped, anything outside ASCII as `\[uXXXX]`
    /// (groff reads its input as Latin-1), a leading `.` or `'` kept from being read as a request.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\e"
            case "-": out += "\\-"
            case _ where scalar.value > 0x7E:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\[u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
            default: out.unicodeScalars.append(scalar)
            }
        }
        if out.hasPrefix(".") || out.hasPrefix("'") { out = "\\&" + out }
        return out.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : String(line)
        }.joined(separator: "\n")
    }
}

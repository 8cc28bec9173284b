/// One named option or flag of a command, such as `--port <port>` or `--json`.
///
/// An option with a `valueName` takes a value (`--port 80`, `--port=80`, `-p80`); one without is a
/// flag that is either present or absent. A non-repeatable option given twice is not an error:
/// the last occurrence wins, as in most Unix tools, so a wrapper script can append an override.
package struct OptionSpec: Sendable {
    /// Every spelling of the option, e.g. `["--port", "-p"]`. Long names start with `--`; short
    /// names are exactly one character after a single `-`.
    package let names: [String]
    /// The placeholder shown in help (`<port>`); `nil` makes the option a flag.
    package let valueName: String?
    /// One line of help; wrapped to the terminal width.
    package let help: String
    /// The value ``ParsedArguments/value(_:)`` returns when the option is absent; shown in help.
    package let defaultValue: String?
    /// Whether the option is meant to be given many times (read with ``ParsedArguments/values(_:)``).
    package let isRepeatable: Bool

    /// Creates an option.
    ///
    /// - Parameters:
    ///   - names: Spellings such as `["--port", "-p"]`; the first long name is the preferred one.
    ///   - valueName: The value placeholder without angle brackets; `nil` for a flag.
    ///   - help: The help text.
    ///   - defaultValue: The value used when the option is absent.
    ///   - repeatable: Whether every occurrence is kept for ``ParsedArguments/values(_:)``.
    /// - Precondition: `names` is non-empty and every name is well formed.
    package init(
        _ names: [String], value valueName: String? = nil, help: String, defaultValue: String? = nil,
        repeatable: Bool = false
    ) {
        precondition(!names.isEmpty, "an option needs at least one name")
        for name in names {
            precondition(OptionSpec.isWellFormed(name), "malformed option name '\(name)'")
        }
        self.names = names
        self.valueName = valueName.map(OptionSpec.strippingAngleBrackets)
        self.help = help
        self.defaultValue = defaultValue
        self.isRepeatable = repeatable
    }

    /// Whether the option is a flag (takes no value).
    package var isFlag: Bool { valueName == nil }

    /// The name used in messages: the first long name, or the first name if there is none.
    package var preferredName: String {
        names.first(where: { $0.hasPrefix("--") }) ?? names[0]
    }

    /// Names in help order: short names first, as argument-parser shows `-c, --connections`.
    var displayNames: [String] {
        names.filter { !$0.hasPrefix("--") } + names.filter { $0.hasPrefix("--") }
    }

    /// The OPTIONS column label, e.g. `-c, --connections <n>`.
    var helpLabel: String {
        let joined = displayNames.joined(separator: ", ")
        return valueName.map { "\(joined) <\($0)>" } ?? joined
    }

    /// `--port <port>` (or `--json` for a flag), as used in error messages, spelled as `name`.
    func synopsis(as name: String) -> String {
        valueName.map { "\(name) <\($0)>" } ?? name
    }

    static func isWellFormed(_ name: String) -> Bool {
        if name.contains("=") || name.contains(" ") { return false }
        if name.hasPrefix("--") { return name.count >= 3 }
        return name.count == 2 && name.hasPrefix("-")
    }

    static func strippingAngleBrackets(_ text: String) -> String {
        guard text.count >= 2, text.hasPrefix("<"), text.hasSuffix(">") else { return text }
        return String(text.dropFirst().dropLast())
    }
}

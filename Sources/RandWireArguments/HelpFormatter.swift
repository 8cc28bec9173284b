/// Renders help and usage lines in swift-argument-parser's layout: `OVERVIEW:`, `USAGE:`, then
/// ARGUMENTS, OPTIONS and SUBCOMMANDS sections with help text starting at column 26.
struct HelpFormatter {
    let path: [CommandSpec]
    let width: Int

    private var commandPath: String { path.map(\.name).joined(separator: " ") }

    func usageLine() -> String {
        guard let command = path.last else { return "" }
        var parts = [commandPath]
        if !command.options.isEmpty { parts.append("<options>") }
        parts += command.positionals.map(\.synopsis)
        if !command.subcommands.isEmpty { parts.append("<subcommand>") }
        return parts.joined(separator: " ")
    }

    func helpText() -> String {
        guard let command = path.last else { return "" }
        var text = ""
        if !command.abstract.isEmpty {
            text += TextWrapping.wrap("OVERVIEW: \(command.abstract)", width: width) + "\n\n"
        }
        if let discussion = command.discussion, !discussion.isEmpty {
            text += TextWrapping.wrap(discussion, width: width) + "\n\n"
        }
        text += "USAGE: \(usageLine())\n\n"
        text += sections(for: command).joined(separator: "\n")
        if !command.subcommands.isEmpty {
            var names = path.map(\.name)
            names.insert("help", at: 1)
            text += "\n  See '\(names.joined(separator: " ")) <subcommand>' for detailed help.\n"
        }
        return text
    }

    private func sections(for command: CommandSpec) -> [String] {
        var sections: [String] = []
        if !command.positionals.isEmpty {
            let rows = command.positionals.map { ($0.label, $0.help) }
            sections.append(section("ARGUMENTS", rows))
        }
        var optionRows = command.options.map { option in
            (option.helpLabel, Self.helpWithDefault(option))
        }
        if path.count == 1 && !command.options.contains(where: { $0.names.contains("--version") }) {
            optionRows.append(("--version", "Show the version."))
        }
        optionRows.append(("-h, --help", "Show help information."))
        sections.append(section("OPTIONS", optionRows))
        if !command.subcommands.isEmpty {
            var rows = command.subcommands.map { ($0.name, $0.abstract) }
            if command.subcommand(named: "help") == nil {
                rows.append(("help", "Show subcommand help information."))
            }
            sections.append(section("SUBCOMMANDS", rows))
        }
        return sections
    }

    private static func helpWithDefault(_ option: OptionSpec) -> String {
        guard let defaultValue = option.defaultValue else { return option.help }
        let suffix = "(default: \(defaultValue))"
        return option.help.isEmpty ? suffix : "\(option.help) \(suffix)"
    }

    private func section(_ title: String, _ rows: [(label: String, help: String)]) -> String {
        "\(title):\n" + rows.map { row($0.label, $0.help) }.joined()
    }

    /// `  label` padded to column 26 followed by the wrapped help, or the label on its own line
    /// when it reaches the column.
    private func row(_ label: String, _ help: String) -> String {
        let column = ArgumentParser.labelColumnWidth
        let padded = "  \(label)"
        guard !help.isEmpty else { return padded + "\n" }
        let wrapped = TextWrapping.wrap(help, width: width, indent: column)
        if padded.count < column {
            return padded + wrapped.dropFirst(padded.count) + "\n"
        }
        return padded + "\n" + wrapped + "\n"
    }
}

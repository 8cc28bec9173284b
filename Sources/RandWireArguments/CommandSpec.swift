/// A command: its name, help, options, positional arguments and subcommands.
///
/// A command with subcommands takes no positionals of its own; invoking it without a
/// subcommand asks for its help. `-h`/`--help` are added to every command automatically and
/// `--version` to the root, so specs must not declare `-h` or `--help`.
package struct CommandSpec: Sendable {
    /// The name typed on the command line (`check`), or the program name for the root.
    package let name: String
    /// One line shown after `OVERVIEW:` and in the parent's SUBCOMMANDS list.
    package let abstract: String
    /// Longer text shown under the overview.
    package let discussion: String?
    package let options: [OptionSpec]
    package let positionals: [PositionalSpec]
    package let subcommands: [CommandSpec]

    /// Creates a command spec.
    ///
    /// - Precondition: the spec is consistent (see ``problems(name:options:positionals:subcommands:)``).
    package init(
        name: String, abstract: String, discussion: String? = nil, options: [OptionSpec] = [],
        positionals: [PositionalSpec] = [], subcommands: [CommandSpec] = []
    ) {
        let problems = CommandSpec.problems(
            name: name, options: options, positionals: positionals, subcommands: subcommands)
        precondition(problems.isEmpty, "invalid command spec '\(name)': \(problems.joined(separator: "; "))")
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.options = options
        self.positionals = positionals
        self.subcommands = subcommands
    }

    /// The subcommand called `name`, if any.
    package func subcommand(named name: String) -> CommandSpec? {
        subcommands.first { $0.name == name }
    }

    /// Every inconsistency in a would-be spec; empty when it is valid.
    static func problems(
        name: String, options: [OptionSpec], positionals: [PositionalSpec], subcommands: [CommandSpec]
    ) -> [String] {
        var problems: [String] = []
        if name.isEmpty || name.hasPrefix("-") || name.contains(" ") {
            problems.append("the command name '\(name)' is not a word")
        }
        var seen: Set<String> = ["-h", "--help"]
        for option in options {
            for optionName in option.names where !seen.insert(optionName).inserted {
                problems.append("the option name '\(optionName)' is declared twice or reserved")
            }
        }
        for (offset, positional) in positionals.enumerated() {
            if positional.isVariadic && offset != positionals.count - 1 {
                problems.append("the variadic positional '\(positional.label)' is not last")
            }
            if !positional.isOptional && positionals[..<offset].contains(where: \.isOptional) {
                problems.append("the required positional '\(positional.label)' follows an optional one")
            }
        }
        if !subcommands.isEmpty && !positionals.isEmpty {
            problems.append("a command with subcommands cannot take positionals")
        }
        var subcommandNames: Set<String> = []
        for subcommand in subcommands where !subcommandNames.insert(subcommand.name).inserted {
            problems.append("the subcommand '\(subcommand.name)' is declared twice")
        }
        return problems
    }
}

/// Parses command lines against a ``CommandSpec`` tree and renders help in the layout of
/// swift-argument-parser.
///
/// Accepted syntax: `--opt value`, `--opt=value`, `-c 64`, `-c64`, `-c=64`, grouped short flags
/// (`-vq`), flags, `--` to end options, options before or after positionals, repeated options,
/// and `help` as a pseudo-subcommand (`tool help check` is `tool check --help`). A value that
/// starts with `-` is only taken as an option's value when it looks like a negative number or is
/// exactly `-`.
package enum ArgumentParser {
    /// The column where help text starts in the ARGUMENTS, OPTIONS and SUBCOMMANDS sections.
    static let labelColumnWidth = 26

    /// Parses `arguments` (without the program name) against `root` and its subcommands.
    ///
    /// Precedence: `-h`/`--help` anywhere before `--` wins over everything, including errors;
    /// then `--version` on the root; then the first usage error (so `help nope` is an error);
    /// then the `help` pseudo-subcommand; then a command with subcommands invoked without one,
    /// which asks for its own help.
    ///
    /// - Returns: The leaf command's spec and its parsed arguments.
    /// - Throws: ``ParseOutcome`` when the caller should print help, the version or an error.
    package static func parse(_ arguments: [String], root: CommandSpec) throws(ParseOutcome) -> (
        CommandSpec, ParsedArguments
    ) {
        var scanner = CommandLineScanner(root: root)
        return try scanner.parse(arguments)
    }

    /// The full help for the last command of `path`, ending with a newline.
    ///
    /// - Parameters:
    ///   - path: The command path from the root, e.g. `[randwire, check]`.
    ///   - width: The column to wrap at.
    package static func helpText(for path: [CommandSpec], width: Int = 80) -> String {
        HelpFormatter(path: path, width: width).helpText()
    }

    /// The synopsis after `USAGE:`, e.g. `randwire check <options> <host:port>`.
    package static func usageLine(for path: [CommandSpec]) -> String {
        HelpFormatter(path: path, width: 80).usageLine()
    }

    /// The text to print to stderr for a usage error, ending with a newline:
    /// `Error: <message>`, `Usage: <usage>`, `  See '<path> --help' for more information.`
    package static func usageErrorText(_ error: UsageError, path: [CommandSpec]) -> String {
        let commandPath = path.map(\.name).joined(separator: " ")
        return """
            Error: \(error.message)
            Usage: \(usageLine(for: path))
              See '\(commandPath) --help' for more information.

            """
    }
}

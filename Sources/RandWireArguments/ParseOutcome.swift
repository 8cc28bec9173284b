/// Why ``ArgumentParser/parse(_:root:)`` did not return parsed arguments.
package enum ParseOutcome: Error, Sendable, CustomStringConvertible {
    /// Help was asked for (or a command with subcommands was run without one): print
    /// ``ArgumentParser/helpText(for:width:)`` for `path` to stdout and exit 0.
    case help(path: [CommandSpec])
    /// `--version` was given to the root command: print the version and exit 0.
    case version
    /// The command line is wrong: print ``ArgumentParser/usageErrorText(_:path:)`` to stderr and
    /// exit 64 (EX_USAGE).
    case usage(UsageError, path: [CommandSpec])

    package var description: String {
        switch self {
        case let .help(path): "help requested for '\(path.map(\.name).joined(separator: " "))'"
        case .version: "version requested"
        case let .usage(error, _): error.message
        }
    }
}

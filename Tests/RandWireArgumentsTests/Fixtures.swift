@testable import RandWireArguments

/// A small `randwire`-shaped command tree shared by the tests.
enum Fixtures {
    static let check = CommandSpec(
        name: "check",
        abstract: "Check a server against a profile.",
        discussion: "Connects to the server many times and judges every answer.",
        options: [
            OptionSpec(["--profile"], value: "profile", help: "The profile to expect.", defaultValue: "bare"),
            OptionSpec(["--connections", "-c"], value: "n", help: "Connections to open.", defaultValue: "64"),
            OptionSpec(["--port", "-p"], value: "port", help: "The port to use."),
            OptionSpec(["--ratio"], value: "x", help: "A ratio."),
            OptionSpec(["--food"], value: "food", help: "Something to eat."),
            OptionSpec(["--ports"], value: "list", help: "Comma-separated ports.", defaultValue: "1, 2"),
            OptionSpec(["--header", "-H"], value: "header", help: "An extra header.", repeatable: true),
            OptionSpec(["--json"], help: "Print JSON."),
            OptionSpec(["--verbose", "-v"], help: "Say more."),
            OptionSpec(["--quiet", "-q"], help: "Say less."),
        ],
        positionals: [PositionalSpec("host:port", help: "The server to check.")]
    )

    static let serve = CommandSpec(
        name: "serve",
        abstract: "Run the reference server.",
        options: [OptionSpec(["--port", "-p"], value: "port", help: "The port to listen on.", defaultValue: "0")]
    )

    static let cat = CommandSpec(
        name: "cat",
        abstract: "Print files.",
        positionals: [
            PositionalSpec("first", help: "The first file."),
            PositionalSpec("<rest>", help: "More files.", optional: true, variadic: true),
        ]
    )

    static let root = CommandSpec(
        name: "randwire",
        abstract: "Random numbers over TCP.",
        options: [OptionSpec(["--no-color"], help: "Disable colours.")],
        subcommands: [check, serve, cat]
    )

    enum Profile: String, CaseIterable {
        case bare, request, csv
    }

    /// Parses `arguments` and returns the leaf's arguments, failing the test on any outcome.
    static func parse(_ arguments: [String]) throws -> ParsedArguments {
        try ArgumentParser.parse(arguments, root: root).1
    }

    /// The outcome parsing `arguments` throws, or nil when it succeeds.
    static func outcome(_ arguments: [String]) -> ParseOutcome? {
        do {
            _ = try ArgumentParser.parse(arguments, root: root)
            return nil
        } catch {
            return error
        }
    }

    /// The usage-error message parsing `arguments` throws, or nil for any other outcome.
    static func usageMessage(_ arguments: [String]) -> String? {
        guard case let .usage(error, _) = outcome(arguments) else { return nil }
        return error.message
    }

    /// The names of the help path parsing `arguments` asks for, or nil for any other outcome.
    static func helpPath(_ arguments: [String]) -> [String]? {
        guard case let .help(path) = outcome(arguments) else { return nil }
        return path.map(\.name)
    }
}

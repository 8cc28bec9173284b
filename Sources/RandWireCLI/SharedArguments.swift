import RandWireArguments
import RandWireConformance
import RandWireGrading
import RandWireSocket

/// The `<host:port>` positional of `get`, `check`, `probe` and `bench`: every problem is a usage error.
enum TargetArguments {
    /// The first `<host:port>`; any further positional is left to the command.
    static func endpoint(_ arguments: ParsedArguments) throws(UsageError) -> Endpoint {
        guard let text = arguments.positionals.first else { throw missing }
        return try endpoint(text)
    }

    /// Every positional as a `<host:port>`, in order; at least one.
    static func endpoints(_ arguments: ParsedArguments) throws(UsageError) -> [Endpoint] {
        guard !arguments.positionals.isEmpty else { throw missing }
        var endpoints: [Endpoint] = []
        for text in arguments.positionals { endpoints.append(try endpoint(text)) }
        return endpoints
    }

    private static var missing: UsageError { UsageError("Missing expected argument '<host:port>'") }

    private static func endpoint(_ text: String) throws(UsageError) -> Endpoint {
        do {
            return try Endpoint.parse(text)
        } catch {
            throw UsageError("The value '\(text)' is invalid for '<host:port>': \(error.description)")
        }
    }
}

/// What `check` and `grade` both let a run be told: the settings their configurations share.
protocol RunSettings {
    var strict: Bool { get set }
    var answerTimeout: Duration { get set }
    var connectTimeout: Duration { get set }
    var runDeadline: Duration { get set }
    var samples: Int? { get set }
    var seed: UInt64 { get set }
}

extension RunConfiguration: RunSettings {}
extension GradingConfiguration: RunSettings {}

/// The run options `check` and `grade` share: `--strict`, `--timeout`, `--run-timeout`,
/// `--samples` and `--seed`, parsed once for both.
enum RunOptions {
    /// Sets what the options name, in this order of validation; an absent option keeps the default.
    static func apply(_ arguments: ParsedArguments, to settings: inout some RunSettings) throws(UsageError) {
        settings.strict = arguments.flag("--strict")
        if let timeout = try ProfileArguments.seconds(arguments, "--timeout", in: 0.05...600) {
            settings.answerTimeout = timeout
            settings.connectTimeout = timeout
        }
        if let runTimeout = try ProfileArguments.seconds(arguments, "--run-timeout", in: 1...3600) {
            settings.runDeadline = runTimeout
        }
        if let samples = try arguments.int("--samples", in: 50...1_000_000) { settings.samples = samples }
        if let seed = arguments.value("--seed") {
            guard let value = UInt64(seed) else { throw UsageError("The value '\(seed)' is invalid for '--seed <n>': expected a non-negative integer") }
            settings.seed = value
        }
    }
}

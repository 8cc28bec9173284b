import RandWireArguments
import RandWireConformance
import RandWireGrading
import RandWireProtocol
import RandWireReports
import RandWireSocket

/// `randwire check-client`: judges a client program (the other half of every seed assignment).
enum CheckClientCommand {
    static func run(_ arguments: ParsedArguments, io: CommandIO) throws -> Int32 {
        let format = try arguments.choice("--format", as: ReportFormat.self) ?? .human
        guard let profile = try ProfileArguments.profile(arguments) else { return ExitCode.usage }
        let parameters = try ProfileArguments.parameters(arguments, profile: profile)
        guard !arguments.positionals.isEmpty else {
            throw UsageError("Missing expected argument '<command>': give the client program after '--'")
        }
        var configuration = ClientRunConfiguration(parameters: parameters, command: Containment.absolutized(arguments.positionals))
        if let port = try arguments.int("--port", in: 1...65535) { configuration.fixedPort = UInt16(port) }
        configuration.input = arguments.value("--input")
        configuration.expectOutput = arguments.value("--expect-output")
        if let timeout = try ProfileArguments.seconds(arguments, "--client-timeout", in: 0.5...600) { configuration.clientTimeout = timeout }
        if let program = configuration.command.first, !program.contains("/") {
            throw CommandFailure("cannot start '\(program)': no such program (is it on PATH, or is the path right?)", exitCode: ExitCode.unavailable)
        }
        let report = ClientCheckRunner.run(configuration)
        var options = ReportOptions()
        options.color = io.useColor
        try CheckCommand.emit([report], format: format, options: options, arguments: arguments, io: io)
        return report.exitCode
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
        if let text = arguments.value("--port") {
            let ports = text.split(separator: ",").map { UInt16($0.trimmingWhitespace(newlines: false)) }
            guard !ports.isEmpty, ports.allSatisfy({ $0 != nil }) else {
                throw UsageError("The value '\(text)' is invalid for '--port <port>': expected a port or a comma-separated list such as 9001,9002,9003")
            }
            if ports.count == 1 {
                guard let port = ports[0], port > 0 else { throw UsageError("The value '\(text)' is invalid for '--port <port>': expected 1...65535") }
                configuration.fixedPort = port
            } else {
                // Several servers: the failover check (DOUBLE-4); {port1}, {port2}, … in the command.
                configuration.failoverPorts = ports.compactMap { $0 }
            }
        }
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

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
        let fixtures = try loadFixtures(arguments)
        if arguments.flag("--list") {
            let json = format == .json
            let profiles = try ProfileArguments.profile(arguments, required: false).map { [$0] } ?? Profile.allCases
            for profile in profiles {
                io.out(ReportRenderer.renderList(ClientCatalog(profile: profile, fixtures: fixtures).definitions, profile: profile.rawValue, json: json))
            }
            return ExitCode.success
        }
        var options = ReportOptions()
        options.color = io.useColor
        if arguments.flag("--self") { return try runSelf(arguments, fixtures: fixtures, format: format, options: options, io: io) }
        guard let profile = try ProfileArguments.profile(arguments) else { return ExitCode.usage }
        let parameters = try ProfileArguments.parameters(arguments, profile: profile)
        guard !arguments.positionals.isEmpty else {
            throw UsageError("Missing expected argument '<command>': give the client program after '--'")
        }
        var configuration = try configure(arguments, parameters: parameters, command: Containment.absolutized(arguments.positionals), fixtures: fixtures)
        if let program = configuration.command.first, !program.contains("/") {
            throw CommandFailure("cannot start '\(program)': no such program (is it on PATH, or is the path right?)", exitCode: ExitCode.unavailable)
        }
        if io.showsLiveProgress {
            let live = LiveStatusLine(io: io)
            configuration.progress = { line in live.update(line) }
        }
        let report = ClientCheckRunner.run(configuration)
        CheckCommand.clearProgress(io)
        if report.unreachable {
            io.err("Error: \(report.warnings.first ?? "the client never connected") — nothing was judged; does the client use the port it is given ({port}, $PORT or --port)?\n")
        }
        try CheckCommand.emit([report], format: format, options: options, arguments: arguments, io: io)
        return report.exitCode
    }

    static func loadFixtures(_ arguments: ParsedArguments) throws -> [ClientFixture] {
        do {
            var all = try ClientFixtureLoader.builtIn()
            for directory in arguments.values("--fixtures") {
                all = try ClientFixtureLoader.load(directory: directory, adding: all)
            }
            return all
        } catch {
            throw CommandFailure(error.description, exitCode: ExitCode.dataError)
        }
    }

    static func configure(_ arguments: ParsedArguments, parameters: ProfileParameters, command: [String], fixtures: [ClientFixture]) throws -> ClientRunConfiguration {
        var configuration = ClientRunConfiguration(parameters: parameters, command: command, fixtures: fixtures)
        if let text = arguments.value("--port") {
            let ports = text.split(separator: ",", omittingEmptySubsequences: false).map { UInt16($0.trimmingWhitespace(newlines: false)) }
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
        if let request = arguments.value("--request") {
            guard parameters.profile.clientSendsRequest else {
                throw UsageError("--request applies to the request, parity and double profiles: a \(parameters.profile) client sends nothing (BARE-2)")
            }
            configuration.request = request
        }
        configuration.expectOutput = arguments.value("--expect-output")
        if let format = configuration.expectOutput, !format.contains("{answer}") {
            throw UsageError("The value '\(format)' is invalid for '--expect-output <format>': it must contain {answer}, e.g. 'Received {answer}'")
        }
        if let timeout = try ProfileArguments.seconds(arguments, "--client-timeout", in: 0.5...600) { configuration.clientTimeout = timeout }
        if let timeout = try ProfileArguments.seconds(arguments, "--run-timeout", in: 1...7200) { configuration.runTimeout = timeout }
        configuration.loops = arguments.flag("--loop")
        configuration.strict = arguments.flag("--strict")
        configuration.only = arguments.list("--only")
        configuration.skip = arguments.list("--skip")
        let catalog = ClientCatalog(profile: parameters.profile, fixtures: fixtures)
        let unknown = catalog.unknownSelectors(configuration.only + configuration.skip)
        if !unknown.isEmpty {
            throw UsageError("No \(parameters.profile) client check matches \(unknown.map { "'\($0)'" }.joined(separator: ", ")): see 'randwire check-client --list --profile \(parameters.profile)'")
        }
        configuration.knownFailures = try CheckCommand.knownFailures(arguments, definitions: catalog.definitions, listCommand: "randwire check-client --list")
        return configuration
    }

    /// `--self`: the reference client (`randwire get`, this very binary) against the harness, on
    /// every profile in parallel; double also with three servers, for failover.
    static func runSelf(_ arguments: ParsedArguments, fixtures: [ClientFixture], format: ReportFormat, options: ReportOptions, io: CommandIO) throws -> Int32 {
        guard let executable = Platform.executablePath() else {
            throw CommandFailure("cannot find this program's own path to start 'randwire get'; run check-client on it by hand", exitCode: ExitCode.software)
        }
        let profiles = try ProfileArguments.profile(arguments, required: false).map { [$0] } ?? Profile.allCases
        var configurations: [ClientRunConfiguration] = []
        for profile in profiles {
            let endpoints = profile == .double ? ["127.0.0.1:{port1}", "127.0.0.1:{port2}", "127.0.0.1:{port3}"] : ["127.0.0.1:{port}"]
            let command = [executable, "get", "--profile", profile.rawValue, "--timeout", "2"] + endpoints
            var configuration = try configure(arguments, parameters: profile.defaultParameters, command: command, fixtures: fixtures)
            if profile == .double { configuration.failoverPorts = [0, 0, 0] }
            if arguments.value("--client-timeout") == nil { configuration.clientTimeout = .seconds(5) }
            configurations.append(configuration)
        }
        let runs = configurations
        let reports = FanOut.map(runs.count, width: runs.count, name: "randwire-check-client") { index in
            ClientCheckRunner.run(runs[index])
        }
        try CheckCommand.emit(reports, format: format, options: options, arguments: arguments, io: io)
        return CheckCommand.selfVerdict(reports, command: "check-client", subject: "client", format: format, io: io)
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireArguments
import RandWireConformance
import RandWireProtocol
import RandWireReports
import RandWireServer
import RandWireSocket

/// `randwire check`: the conformance runner.
enum CheckCommand {
    static func run(_ arguments: ParsedArguments, io: CommandIO) throws -> Int32 {
        let format = try arguments.choice("--format", as: ReportFormat.self) ?? .human
        let fixtures = try loadFixtures(arguments, io: io)
        if arguments.flag("--list") { return try list(arguments, fixtures: fixtures, io: io) }
        var options = ReportOptions()
        options.color = io.useColor
        if let path = arguments.value("--rubric") {
            do {
                options.rubric = try Rubric.load(path: path)
            } catch {
                throw CommandFailure("the rubric is not usable: \(error.description)", exitCode: ExitCode.dataError)
            }
        }
        if arguments.flag("--self") { return try runSelf(arguments, fixtures: fixtures, format: format, options: options, io: io) }

        guard let profile = try ProfileArguments.profile(arguments) else { return ExitCode.usage }
        let parameters = try ProfileArguments.parameters(arguments, profile: profile)
        if let command = arguments.value("--exec") {
            return try ExecTarget.check(command: command, arguments, parameters: parameters, fixtures: fixtures, format: format, options: options, io: io)
        }
        let target = try TargetArguments.endpoint(arguments)
        let configuration = try configure(arguments, target: target, parameters: parameters, fixtures: fixtures, io: io)
        let report = ConformanceRunner(configuration: configuration).run()
        clearProgress(io)
        if report.unreachable {
            // The one line that matters comes first; the report after it only confirms it.
            io.err("Error: \(report.warnings.first ?? "the target could not be reached") — nothing was judged; is the server running?\n")
        }
        try emit([report], format: format, options: options, arguments: arguments, io: io)
        return report.exitCode
    }

    static func loadFixtures(_ arguments: ParsedArguments, io: CommandIO) throws -> [Fixture] {
        do {
            var all = try FixtureLoader.builtIn()
            for directory in arguments.values("--fixtures") {
                all += try FixtureLoader.load(directory: directory)
            }
            try FixtureLoader.checkUniqueIDs(all)
            return all
        } catch {
            // The description names the file or folder (with line and column for broken JSON)
            // and says what to do; a prefix would only push that to the right.
            throw CommandFailure(error.description, exitCode: ExitCode.dataError)
        }
    }

    static func list(_ arguments: ParsedArguments, fixtures: [Fixture], io: CommandIO) throws -> Int32 {
        let json = try arguments.choice("--format", as: ReportFormat.self) == .json
        let profiles = try ProfileArguments.profile(arguments, required: false).map { [$0] } ?? Profile.allCases
        for profile in profiles {
            let catalog = Catalog(profile: profile, fixtures: fixtures)
            io.out(ReportRenderer.renderList(catalog.definitions, profile: profile.rawValue, json: json))
        }
        return ExitCode.success
    }

    static func configure(_ arguments: ParsedArguments, target: Endpoint, parameters: ProfileParameters, fixtures: [Fixture], io: CommandIO) throws -> RunConfiguration {
        var configuration = RunConfiguration(target: target, parameters: parameters, fixtures: fixtures)
        try RunOptions.apply(arguments, to: &configuration)
        configuration.only = arguments.list("--only")
        configuration.skip = arguments.list("--skip")
        let catalog = Catalog(profile: parameters.profile, fixtures: fixtures)
        let unknown = catalog.unknownSelectors(configuration.only + configuration.skip)
        if !unknown.isEmpty {
            throw UsageError("No \(parameters.profile) check matches \(unknown.map { "'\($0)'" }.joined(separator: ", ")): see 'randwire check --list --profile \(parameters.profile)'")
        }
        configuration.knownFailures = try knownFailures(arguments, definitions: catalog.definitions, listCommand: "randwire check --list")
        if io.showsLiveProgress {
            let live = LiveStatusLine(io: io)
            configuration.progress = { line in live.update(line) }
        }
        return configuration
    }

    /// `--known-failures FILE`: check IDs, one per line (`#` starts a comment); an ID that names
    /// no check is an error (exit 65), so a typo cannot excuse nothing silently.
    static func knownFailures(_ arguments: ParsedArguments, definitions: [CheckDefinition], listCommand: String) throws -> Set<String> {
        guard let path = arguments.value("--known-failures") else { return [] }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CommandFailure("cannot read the known-failures file \(path)", exitCode: ExitCode.dataError)
        }
        let ids = text.split(whereSeparator: \.isNewline).map { $0.split(separator: "#", omittingEmptySubsequences: false)[0].trimmingWhitespace(newlines: false) }.filter { !$0.isEmpty }
        let unknownIDs = ids.filter { id in !definitions.contains { $0.id == id } }
        if !unknownIDs.isEmpty {
            throw CommandFailure("\(path): unknown check IDs \(unknownIDs.joined(separator: ", ")) (see '\(listCommand)')", exitCode: ExitCode.dataError)
        }
        return Set(ids)
    }

    static func clearProgress(_ io: CommandIO) {
        if io.showsLiveProgress { io.err(LiveStatusLine.clear) }
    }

    static func emit(_ reports: [RunReport], format: ReportFormat, options: ReportOptions, arguments: ParsedArguments, io: CommandIO) throws {
        let document = ReportRenderer.render(reports, format: format, options: options)
        if let path = arguments.value("--output") {
            var fileOptions = options
            fileOptions.color = false
            let fileDocument = reports.count == 1 ? ReportRenderer.render(reports[0], format: format, options: fileOptions) : document
            do {
                try fileDocument.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw CommandFailure("cannot write the report to \(path): \(FileErrorText.describe(error))", exitCode: ExitCode.ioError)
            }
            // The person at the terminal gets the verdict and the counts; the file has the rest.
            for report in reports { io.out(ReportRenderer.renderSummary(report, options: options) + "report written to \(path)\n") }
        } else {
            io.out(document)
        }
    }

    /// `--self`: every profile's reference server in-process on an ephemeral port, checked in parallel.
    static func runSelf(_ arguments: ParsedArguments, fixtures: [Fixture], format: ReportFormat, options: ReportOptions, io: CommandIO) throws -> Int32 {
        let profiles = try ProfileArguments.profile(arguments, required: false).map { [$0] } ?? Profile.allCases
        var servers: [ReferenceServer] = []
        defer { servers.forEach { $0.stop() } }
        var configurations: [RunConfiguration] = []
        for profile in profiles {
            var serverConfiguration = ServerConfiguration(parameters: profile.defaultParameters)
            serverConfiguration.port = 0
            serverConfiguration.threads = 1
            // A short connection deadline keeps LIMIT-2's check (which waits for it) quick.
            serverConfiguration.connectionTimeout = .seconds(2)
            let server: ReferenceServer
            do {
                server = try ReferenceServer.start(serverConfiguration)
            } catch {
                throw CommandFailure("cannot start the reference \(profile) server: \(error.description)", exitCode: ExitCode.software)
            }
            servers.append(server)
            var configuration = try configure(arguments, target: server.endpoint, parameters: profile.defaultParameters, fixtures: fixtures, io: io)
            configuration.progress = nil
            configurations.append(configuration)
        }
        let reports = runConcurrently(configurations)
        try emit(reports, format: format, options: options, arguments: arguments, io: io)
        return selfVerdict(reports, command: "check", subject: "server", format: format, io: io)
    }

    /// The last line of a `--self` run, and its exit code: every profile must pass.
    static func selfVerdict(_ reports: [RunReport], command: String, subject: String, format: ReportFormat, io: CommandIO) -> Int32 {
        let failed = reports.filter { $0.exitCode != 0 }
        if format == .human {
            io.out(failed.isEmpty
                ? "randwire \(command) --self: the reference \(subject) passed every profile (\(reports.map(\.profile.rawValue).joined(separator: ", ")))\n"
                : "randwire \(command) --self: FAILED for \(failed.map(\.profile.rawValue).joined(separator: ", "))\n")
        }
        return failed.isEmpty ? ExitCode.success : ExitCode.failure
    }

    static func runConcurrently(_ configurations: [RunConfiguration]) -> [RunReport] {
        FanOut.map(configurations.count, width: configurations.count, name: "randwire-check") { index in
            ConformanceRunner(configuration: configurations[index]).run()
        }
    }
}

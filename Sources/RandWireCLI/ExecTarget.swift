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

/// `check --exec CMD`: the runner starts the server itself, watches it, and restarts it after
/// each crash, so a server that dies on bad input is still judged on every check.
enum ExecTarget {
    static func check(command: String, _ arguments: ParsedArguments, parameters: ProfileParameters, fixtures: [Fixture],
                      format: ReportFormat, options: ReportOptions, io: CommandIO) throws -> Int32 {
        var settings = SupervisedServer.Settings(command: command)
        settings.shell = arguments.flag("--shell")
        settings.startupTimeout = try ProfileArguments.seconds(arguments, "--startup-timeout", in: 0.1...3600) ?? .seconds(10)
        settings.restartBudget = try arguments.int("--restarts", in: 0...1000) ?? 20
        if !SupervisedServer.takesPort(command) {
            // A program with its port built in (every seed): restarted on that same port.
            guard arguments.positionals.first != nil else {
                throw UsageError("The --exec command takes no {port} or $PORT: give the address it listens on as '<host:port>'")
            }
            settings.fixedPort = try TargetArguments.endpoint(arguments).port
        }
        let sandbox = try SandboxArguments.sandbox(arguments, io: io, announce: false)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("randwire-exec-\(Platform.processID)").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var containment = Containment(folder: folder)
        containment.sandbox = sandbox
        if let output = arguments.value("--output") { containment.hidden = [output] }
        settings.containment = containment
        let server: SupervisedServer
        switch SupervisedServer.start(settings) {
        case let .success(started):
            server = started
        case let .failure(failure):
            let tail = failure.launch.standardError.lastLines(5)
            let stderr = tail.isEmpty ? "" : "; its stderr ends: " + tail.joined(separator: " | ")
            throw CommandFailure("the server did not start: \(failure.launch.startup)\(stderr); check the command (run: \(failure.launch.commandLine))", exitCode: ExitCode.unavailable)
        }
        var configuration = try CheckCommand.configure(arguments, target: server.endpoint, parameters: parameters, fixtures: fixtures, io: io)
        configuration.supervisor = server
        var report = ConformanceRunner(configuration: configuration).run()
        let last = server.stop()
        CheckCommand.clearProgress(io)
        report.warnings.insert(contentsOf: ["ran: \(last.commandLine) (\(settings.shell ? "through /bin/sh" : "no shell"); restarted when it dies, at most \(settings.restartBudget) times)"]
            + last.containment.map { "contained: " + $0 }, at: 0)
        try CheckCommand.emit([report], format: format, options: options, arguments: arguments, io: io)
        return report.exitCode
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireConformance
import RandWireProtocol
import RandWireReports
import RandWireSocket
import Synchronization

/// Grades a roster, `jobs` students at a time, each on its own thread with its own deadlines:
/// a student whose server hangs, crashes, floods or refuses costs only that student's time.
package final class ClassGrader: Sendable {
    package let roster: Roster
    package let configuration: GradingConfiguration

    package init(roster: Roster, configuration: GradingConfiguration) {
        self.roster = roster
        self.configuration = configuration
    }

    /// Grades every student and returns them in roster order. Blocks the calling thread (on
    /// dedicated worker threads, `configuration.jobs` of them) until the last student is done.
    package func run() -> ClassResult {
        let started = Deadline.now
        let entries = roster.entries
        let finished = Atomic<Int>(0)
        let grades = FanOut.map(entries.count, width: configuration.jobs, name: "randwire-grade") { [self] index in
            configuration.live?.started(entries[index].student)
            let grade = grade(entries[index])
            configuration.live?.finished(entries[index].student)
            let done = finished.wrappingAdd(1, ordering: .relaxed).newValue
            configuration.progress?("[\(done)/\(entries.count)] \(grade.summaryLine)")
            return grade
        }
        return ClassResult(grades: grades, duration: Deadline.now - started, configuration: configuration)
    }

    /// Grades one student. Blocks for at most about the start-up timeout, the run deadline and
    /// the stop grace.
    package func grade(_ entry: RosterEntry) -> StudentGrade {
        let started = Deadline.now
        switch entry.target {
        case .endpoint(let endpoint):
            let report = ConformanceRunner(configuration: configuration.runConfiguration(for: entry, target: endpoint)).run()
            return finish(entry, report: report, launch: nil, started: started)
        case .command(let command) where entry.role == .client:
            return gradeClient(entry, command: command, started: started)
        case .command(let command):
            return gradeCommand(entry, command: command, started: started)
        }
    }

    /// `kind=client`: the command is the student's client, judged against the harness's
    /// scripted server behaviours (the same checks as `randwire check-client`).
    func gradeClient(_ entry: RosterEntry, command: String, started: Deadline) -> StudentGrade {
        let words: [String]
        do {
            words = configuration.shell ? ["/bin/sh", "-c", command] : try CommandSplitter.split(command)
        } catch {
            let launch = LaunchRecord(command: command, arguments: [], shell: configuration.shell, port: 0,
                                      startup: .launchFailed("cannot split the command: \(error.description)"))
            return notStarted(entry, launch: launch, started: started)
        }
        var client = ClientRunConfiguration(parameters: entry.parameters, command: Containment.absolutized(words))
        client.input = RosterOptions.value("input", in: entry.options)
        client.request = RosterOptions.value("request", in: entry.options)
        client.expectOutput = RosterOptions.value("expect-output", in: entry.options)
        client.loops = RosterOptions.value("loop", in: entry.options)?.trimmingSpaces() == "yes"
        client.clientTimeout = min(.seconds(10), configuration.runDeadline)
        client.runTimeout = configuration.runDeadline
        // A student's client is as untrusted as a server: contained the same way, per launch.
        let contained: (containment: Containment, folder: String)?
        do {
            contained = try studentContainment(entry, command: command)
        } catch {
            return notStarted(entry, launch: error.launch, started: started)
        }
        client.containment = contained?.containment
        let folder = contained?.folder
        defer { if let folder { StudentFolder.remove(folder) } }
        let report = ClientCheckRunner.run(client)
        return finish(entry, report: report, launch: nil, started: started)
    }

    /// The student's own folder (a copy of `dir=`) and how its programs are contained, or nil
    /// without `--sandbox`; a folder that cannot be made is a launch failure. The caller removes
    /// the folder when the student is graded.
    func studentContainment(_ entry: RosterEntry, command: String) throws(NotStarted) -> (containment: Containment, folder: String)? {
        guard let sandbox = configuration.sandbox else { return nil }
        let folder: String
        do {
            folder = try StudentFolder.make(for: entry)
        } catch {
            throw NotStarted(launch: LaunchRecord(command: command, arguments: [], shell: configuration.shell, port: 0,
                                                  startup: .launchFailed("cannot prepare the student's folder: \(error)")))
        }
        var containment = Containment(folder: folder)
        containment.sandbox = sandbox
        containment.hidden = configuration.hiddenPaths
        // A shell command's programs cannot be checked for another user's access: it keeps ours.
        containment.userID = configuration.shell ? nil : StudentFolder.userID(for: entry.student)
        return (containment, folder)
    }

    /// A student whose programs could not be started, and why.
    struct NotStarted: Error {
        let launch: LaunchRecord
    }

    // MARK: - Started servers

    /// What to execute for `command` on `port`: `{port}`, `$PORT` and `${PORT}` are replaced in
    /// each argument; with `--shell`, only `{port}` (the shell expands `$PORT` itself).
    package static func launchArguments(_ command: String, port: UInt16, shell: Bool) throws(CommandSplitter.SplitError) -> [String] {
        let number = String(port)
        if shell { return ["/bin/sh", "-c", command.replacingAll("{port}", with: number)] }
        return try CommandSplitter.split(command).map { CommandPlaceholders.substitute($0, port: port) }
    }

    func gradeCommand(_ entry: RosterEntry, command: String, started: Deadline) -> StudentGrade {
        var settings = SupervisedServer.Settings(command: command)
        settings.shell = configuration.shell
        settings.startupTimeout = configuration.startupTimeout
        settings.stopGrace = configuration.stopGrace
        settings.restartBudget = configuration.restartBudget
        settings.name = entry.student
        let contained: (containment: Containment, folder: String)?
        do {
            contained = try studentContainment(entry, command: command)
        } catch {
            return notStarted(entry, launch: error.launch, started: started)
        }
        settings.containment = contained?.containment
        let folder = contained?.folder
        defer { if let folder { StudentFolder.remove(folder) } }
        switch SupervisedServer.start(settings) {
        case let .failure(failure):
            return notStarted(entry, launch: failure.launch, started: started)
        case let .success(server):
            // Supervised: a crash is charged to the input that caused it and the server is
            // restarted, so a student whose server dies on bad input is graded on every check.
            var run = configuration.runConfiguration(for: entry, target: server.endpoint)
            run.supervisor = server
            let report = ConformanceRunner(configuration: run).run()
            return finish(entry, report: report, launch: server.stop(), started: started)
        }
    }

    func notStarted(_ entry: RosterEntry, launch: LaunchRecord, started: Deadline) -> StudentGrade {
        let report = NotStartedReport.make(entry: entry, launch: launch, configuration: configuration, duration: Deadline.now - started)
        return finish(entry, report: report, launch: launch, started: started, status: .didNotStart)
    }

    func finish(_ entry: RosterEntry, report: RunReport, launch: LaunchRecord?, started: Deadline, status: GradeStatus? = nil) -> StudentGrade {
        var report = report
        if let launch { report.warnings = launchNotes(launch) + report.warnings }
        let status = status ?? GradeStatus(report.verdict)
        return StudentGrade(entry: entry, status: status, report: report, score: configuration.rubric.score(report),
                            launch: launch, duration: Deadline.now - started)
    }

    /// The report's notes on a started server: what ran, how start-up went, and its stderr when
    /// that explains a failure.
    func launchNotes(_ launch: LaunchRecord) -> [String] {
        var notes: [String] = []
        if !launch.arguments.isEmpty {
            notes.append("ran: \(launch.commandLine) (\(launch.shell ? "through /bin/sh" : "no shell"); PORT=\(launch.port))")
        } else {
            notes.append("roster command: \(launch.command)")
        }
        notes.append("start-up: \(launch.startup)")
        notes += launch.containment.map { "contained: " + $0 }
        if launch.exitedByItself, let exit = launch.exit {
            notes.append("the server exited by itself during grading (\(exit))")
        }
        if !launch.startup.started || launch.exitedByItself {
            let tail = launch.standardError
            if tail.total == 0 {
                notes.append("stderr: (empty)")
            } else {
                let lines = tail.lastLines(configuration.stderrLines)
                if tail.total > tail.bytes.count || lines.count == configuration.stderrLines {
                    notes.append("stderr: last \(lines.count) lines of \(tail.total) bytes:")
                }
                notes += lines.map { "stderr: " + $0 }
            }
        }
        return notes
    }
}

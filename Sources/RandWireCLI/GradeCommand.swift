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

/// `randwire grade`: a whole class at once. Exit 0 once the class is graded (whatever the
/// grades), 64 on a usage error, 65 on a bad roster, rubric or fixture, 74 when the output
/// cannot be written.
enum GradeCommand {
    static func run(_ arguments: ParsedArguments, io: CommandIO) throws -> Int32 {
        if arguments.flag("--merge") { return try merge(arguments, io: io) }
        if let stray = arguments.positionalValues("shard-dir").first {
            throw UsageError("Unexpected argument '\(stray)' (folders are only taken with --merge)")
        }
        let shard = try arguments.value("--shard").map { text throws(UsageError) in
            do {
                return try Shard.parse(text, environment: io.environment)
            } catch {
                throw UsageError("The value '\(text)' is invalid for '--shard <K/N|auto/N>': \(error)")
            }
        }
        guard let rosterPath = arguments.value("--roster") else {
            throw UsageError("Missing expected option '--roster <file>'")
        }
        let formats = try parseFormats(arguments.list("--format"))
        let jobs = try arguments.int("--jobs", in: 1...256) ?? 4
        let startupTimeout = try ProfileArguments.seconds(arguments, "--startup-timeout", in: 0.1...3600) ?? .seconds(10)
        let shell = arguments.flag("--shell")
        let outDirectory = arguments.value("--out") ?? "grades"

        let roster: Roster
        do {
            roster = try Roster.load(path: rosterPath, shell: shell)
        } catch {
            throw CommandFailure(error.description, exitCode: ExitCode.dataError)
        }
        // A shard grades the students whose name hashes to it, in roster order.
        let indices = roster.entries.indices.filter { shard?.contains(roster.entries[$0].student) ?? true }
        let slice = Roster(entries: indices.map { roster.entries[$0] })
        let fixtures: [Fixture]
        do {
            fixtures = try FixtureLoader.builtIn()
        } catch {
            throw CommandFailure("malformed built-in fixture: \(error.description)", exitCode: ExitCode.dataError)
        }
        var configuration = GradingConfiguration(fixtures: fixtures)
        configuration.jobs = jobs
        configuration.startupTimeout = startupTimeout
        configuration.shell = shell
        configuration.sandbox = try SandboxArguments.sandbox(arguments, io: io)
        configuration.hiddenPaths = [FileManager.default.currentDirectoryPath + "/" + outDirectory, outDirectory].filter { $0.hasPrefix("/") }
            + roster.entries.compactMap { RosterOptions.folder($0.options) }.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
        try RunOptions.apply(arguments, to: &configuration)
        if let path = arguments.value("--rubric") {
            do {
                configuration.rubric = try Rubric.load(path: path)
            } catch {
                throw CommandFailure("the rubric is not usable: \(error.description)", exitCode: ExitCode.dataError)
            }
            let profiles = Set(roster.entries.map(\.profile))
            let definitions = Profile.allCases.filter(profiles.contains).flatMap { Catalog(profile: $0, fixtures: configuration.fixtures).definitions }
            let unmatched = configuration.rubric.unmatchedSelectors(definitions)
            if !unmatched.isEmpty {
                io.err("warning: \(path): \(unmatched.map { "'\($0)'" }.joined(separator: ", ")) name\(unmatched.count == 1 ? "s" : "") no check of this class's profiles\n")
            }
        }
        let live = io.showsLiveProgress ? LiveStatusLine(io: io) : nil
        if let live {
            configuration.live = GradingProgress(total: slice.entries.count)
            configuration.progress = { line in live.print(line) }
        } else {
            configuration.progress = { line in io.err(line + "\n") }
        }
        do {
            try GradeFiles.prepare(outDirectory)
        } catch {
            throw CommandFailure(error.description, exitCode: ExitCode.ioError)
        }

        let count = slice.entries.count
        let of = shard.map { " (shard \($0) of a roster of \(roster.entries.count))" } ?? ""
        io.err("grading \(count) student\(count == 1 ? "" : "s")\(of), \(min(jobs, max(count, 1))) at a time; reports in \(outDirectory)/\n")
        let stopTicking = live.flatMap { live in configuration.live.map { progress in live.tick { progress.statusLine() } } }
        let result = ClassGrader(roster: slice, configuration: configuration).run()
        stopTicking?()
        do {
            try GradeFiles.write(result, to: outDirectory, formats: formats)
            if let shard {
                try ShardRecord(shard: shard, roster: roster, indices: indices, result: result, formats: formats).write(to: outDirectory)
            }
        } catch {
            throw CommandFailure("\(error)", exitCode: ExitCode.ioError)
        }
        io.out("graded \(result.summaryLine)\n")
        io.out(wroteLine(outDirectory, formats: formats, shard: shard != nil))
        return ExitCode.success
    }

    /// `randwire grade --merge DIR...`: every shard's folder into `--out`, as one run would have written it.
    static func merge(_ arguments: ParsedArguments, io: CommandIO) throws -> Int32 {
        let directories = arguments.positionalValues("shard-dir")
        guard !directories.isEmpty else { throw UsageError("--merge needs the output folder of every shard") }
        if let option = ["--roster", "--shard"].first(where: { arguments.value($0) != nil }) {
            throw UsageError("\(option) cannot be combined with --merge (the shards' folders say what was graded)")
        }
        let outDirectory = arguments.value("--out") ?? "grades"
        let merged: (result: ClassResult, formats: [ReportFormat])
        do {
            merged = try ShardMerge.merge(directories: directories)
        } catch {
            throw CommandFailure(error.description, exitCode: ExitCode.dataError)
        }
        do {
            try GradeFiles.write(merged.result, to: outDirectory, formats: merged.formats)
        } catch {
            throw CommandFailure(error.description, exitCode: ExitCode.ioError)
        }
        io.out("merged \(directories.count) shards: \(merged.result.summaryLine)\n")
        io.out(wroteLine(outDirectory, formats: merged.formats, shard: false))
        return ExitCode.success
    }

    static func wroteLine(_ directory: String, formats: [ReportFormat], shard: Bool) -> String {
        let reports = formats.map { "STUDENT.\(GradeFiles.fileExtension($0))" }.joined(separator: ", ")
        return "wrote \(directory)/grades.csv, \(directory)/summary.html, \(shard ? "\(directory)/\(ShardRecord.fileName), " : "")and \(reports)\n"
    }

    /// The per-student report formats; at least one (`--format ""` would write no report).
    static func parseFormats(_ names: [String]) throws -> [ReportFormat] {
        let known = ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")
        var formats: [ReportFormat] = []
        for name in names {
            guard let format = ReportFormat(rawValue: name.lowercased()) else {
                throw UsageError("The value '\(name)' is invalid for '--format <list>': expected a comma-separated list of \(known)")
            }
            if !formats.contains(format) { formats.append(format) }
        }
        guard !formats.isEmpty else {
            throw UsageError("The value for '--format <list>' names no format: expected a comma-separated list of \(known)")
        }
        return formats
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireConformance
import RandWireProtocol
import RandWireReports
import RandWireSocket

/// `shard.json`: what `grade --shard K/N` graded, in a form `grade --merge` turns back into the
/// whole class. Per student it keeps the run report (the same `RunReport` the JSON report is),
/// the roster row and what was launched; for the shard, everything that must agree between
/// shards before they may be merged.
package struct ShardRecord: Sendable, Codable {
    package static let fileName = "shard.json"
    package static let formatName = "randwire-shard"

    package var format = ShardRecord.formatName
    package var formatVersion = 1
    package var toolVersion = RandWireVersion.current
    package var shard: Shard
    /// Every student of the roster, in order: merge names the missing ones from it.
    package var roster: [String]
    package var rubric: Rubric
    /// FNV-1a of the rubric's canonical JSON, in hex.
    package var rubricFingerprint: String
    package var options: RunOptions
    /// `--jobs` (not compared: it changes speed, not grades).
    package var jobs: Int
    package var durationSeconds: Double
    package var students: [StudentRecord]

    /// The run options every shard must share (profile parameters are per student, in the roster).
    package struct RunOptions: Sendable, Codable, Hashable {
        package var strict: Bool
        package var seed: UInt64
        package var answerTimeoutSeconds: Double
        package var runTimeoutSeconds: Double
        package var samples: Int?
        package var startupTimeoutSeconds: Double
        package var shell: Bool
        package var restartBudget: Int
        package var stderrLines: Int
        package var formats: [String]

        /// The first option that differs, as `--seed 2 (here) vs 1`, or nil.
        func difference(from other: RunOptions) -> String? {
            let pairs: [(String, String, String)] = [
                ("--strict", "\(strict)", "\(other.strict)"), ("--seed", "\(seed)", "\(other.seed)"),
                ("--timeout", "\(answerTimeoutSeconds)", "\(other.answerTimeoutSeconds)"),
                ("--run-timeout", "\(runTimeoutSeconds)", "\(other.runTimeoutSeconds)"),
                ("--samples", samples.map(String.init) ?? "default", other.samples.map(String.init) ?? "default"),
                ("--startup-timeout", "\(startupTimeoutSeconds)", "\(other.startupTimeoutSeconds)"),
                ("--shell", "\(shell)", "\(other.shell)"), ("restarts", "\(restartBudget)", "\(other.restartBudget)"),
                ("stderr lines", "\(stderrLines)", "\(other.stderrLines)"),
                ("--format", formats.joined(separator: ","), other.formats.joined(separator: ",")),
            ]
            return pairs.first { $0.1 != $0.2 }.map { "\($0.0) \($0.1) vs \($0.2)" }
        }
    }

    /// One student as graded: enough to rebuild its `StudentGrade`.
    package struct StudentRecord: Sendable, Codable {
        /// Position in the roster (0-based).
        package var index: Int
        package var student: String
        package var line: Int
        package var parameters: ProfileParameters
        package var options: String
        /// server or client; absent in records written before rows had roles (a server then).
        package var role: String?
        /// The roster's target: `host:port`, or the command when `command` is true.
        package var target: String
        package var command: Bool
        package var status: GradeStatus
        package var durationSeconds: Double
        package var launch: LaunchData?
        package var report: RunReport
    }

    /// A `LaunchRecord` as JSON.
    package struct LaunchData: Sendable, Codable {
        var command: String
        var arguments: [String]
        var shell: Bool
        var port: UInt16
        /// `listening`, `exited`, `timed-out` or `launch-failed`.
        var startup: String
        var host: String?
        var afterSeconds: Double?
        var startupExit: ExitData?
        var reason: String?
        var exit: ExitData?
        var exitedByItself: Bool
        var standardError: Data
        var standardErrorTotal: Int
        var containment: [String]

        struct ExitData: Sendable, Codable {
            var signalled: Bool
            var code: Int32
            init(_ status: ExitStatus) {
                switch status {
                case .exited(let code): (signalled, self.code) = (false, code)
                case .signalled(let signal): (signalled, code) = (true, signal)
                }
            }
            var status: ExitStatus { signalled ? .signalled(code) : .exited(code) }
        }

        init(_ launch: LaunchRecord) {
            command = launch.command
            arguments = launch.arguments
            shell = launch.shell
            port = launch.port
            switch launch.startup {
            case let .listening(host, after): (startup, self.host, afterSeconds) = ("listening", host, after.inSeconds)
            case let .exited(status, after): (startup, startupExit, afterSeconds) = ("exited", ExitData(status), after.inSeconds)
            case let .timedOut(after): (startup, afterSeconds) = ("timed-out", after.inSeconds)
            case let .launchFailed(reason): (startup, self.reason) = ("launch-failed", reason)
            }
            exit = launch.exit.map(ExitData.init)
            exitedByItself = launch.exitedByItself
            standardError = Data(launch.standardError.bytes)
            standardErrorTotal = launch.standardError.total
            containment = launch.containment
        }

        var record: LaunchRecord {
            let after = Duration.seconds(afterSeconds ?? 0)
            let outcome: StartupOutcome = switch startup {
            case "listening": .listening(host: host ?? "", after: after)
            case "exited": .exited(startupExit?.status ?? .exited(0), after: after)
            case "timed-out": .timedOut(after: after)
            default: .launchFailed(reason ?? "")
            }
            var record = LaunchRecord(command: command, arguments: arguments, shell: shell, port: port, startup: outcome)
            record.exit = exit?.status
            record.exitedByItself = exitedByItself
            record.standardError.bytes = Array(standardError)
            record.standardError.total = standardErrorTotal
            record.containment = containment
            return record
        }
    }

    /// The record of a shard's graded `result`; `indices[i]` is the roster position of `result.grades[i]`.
    package init(shard: Shard, roster: Roster, indices: [Int], result: ClassResult, formats: [ReportFormat]) {
        let configuration = result.configuration
        self.shard = shard
        self.roster = roster.entries.map(\.student)
        rubric = configuration.rubric
        rubricFingerprint = Self.fingerprint(configuration.rubric)
        options = RunOptions(
            strict: configuration.strict, seed: configuration.seed, answerTimeoutSeconds: configuration.answerTimeout.inSeconds,
            runTimeoutSeconds: configuration.runDeadline.inSeconds, samples: configuration.samples,
            startupTimeoutSeconds: configuration.startupTimeout.inSeconds, shell: configuration.shell,
            restartBudget: configuration.restartBudget, stderrLines: configuration.stderrLines, formats: formats.map(\.rawValue))
        jobs = configuration.jobs
        durationSeconds = result.duration.inSeconds
        students = zip(indices, result.grades).map { index, grade in
            let entry = grade.entry
            let (target, command): (String, Bool) = switch entry.target {
            case .endpoint(let endpoint): (endpoint.description, false)
            case .command(let text): (text, true)
            }
            return StudentRecord(index: index, student: entry.student, line: entry.line, parameters: entry.parameters, options: entry.options, role: entry.role.rawValue,
                                 target: target, command: command, status: grade.status, durationSeconds: grade.duration.inSeconds,
                                 launch: grade.launch.map(LaunchData.init), report: grade.report)
        }
    }

    static func fingerprint(_ rubric: Rubric) -> String {
        String(Shard.fnv1a64(encode(rubric)), radix: 16)
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        // Every member here is plain data: encoding cannot fail.
        // swift-format-ignore: NeverUseForceTry
        return String(decoding: try! encoder.encode(value), as: UTF8.self) + "\n"
    }

    /// The record as written to `shard.json`.
    package var json: String { Self.encode(self) }

    /// Reads `directory/shard.json`.
    package static func load(directory: String) throws(ShardMergeError) -> ShardRecord {
        let path = GradeFiles.path(directory, fileName)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShardMergeError("\(directory): no \(fileName) (not the --out folder of a 'randwire grade --shard K/N' run)")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            let record = try decoder.decode(ShardRecord.self, from: data)
            guard record.format == formatName else { throw ShardMergeError("\(path): not a randwire shard record") }
            return record
        } catch let error as ShardMergeError {
            throw error
        } catch {
            throw ShardMergeError("\(path): not a readable shard record (\(error))")
        }
    }
}

/// Why shards cannot be merged: one line.
package struct ShardMergeError: Error, Sendable, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}

/// `randwire grade --merge DIR...`: the shards of one class back into the class, in roster order.
package enum ShardMerge {
    /// The merged class and the report formats the shards wrote.
    ///
    /// Refuses shards that disagree on the randwire version, rubric, roster or run options,
    /// an incomplete or repeated set of shards, and a student missing or graded twice.
    package static func merge(directories: [String]) throws(ShardMergeError) -> (result: ClassResult, formats: [ReportFormat]) {
        var records: [(directory: String, record: ShardRecord)] = []
        for directory in directories { records.append((directory, try ShardRecord.load(directory: directory))) }
        guard let (firstDirectory, first) = records.first else { throw ShardMergeError("no shard folders to merge") }
        for (directory, record) in records.dropFirst() {
            let here = "shard \(record.shard) (\(directory))", there = "shard \(first.shard) (\(firstDirectory))"
            if record.toolVersion != first.toolVersion {
                throw ShardMergeError("\(here) was graded by randwire \(record.toolVersion), \(there) by \(first.toolVersion): refusing to merge")
            }
            if record.shard.count != first.shard.count {
                throw ShardMergeError("\(here) is one of \(record.shard.count) shards, \(there) one of \(first.shard.count): refusing to merge")
            }
            if record.rubricFingerprint != first.rubricFingerprint || record.rubric != first.rubric {
                throw ShardMergeError("\(here) was graded with another rubric (\(record.rubricFingerprint)) than \(there) (\(first.rubricFingerprint)): refusing to merge")
            }
            if let difference = record.options.difference(from: first.options) {
                throw ShardMergeError("\(here) was graded with other run options than \(there): \(difference): refusing to merge")
            }
            if record.roster != first.roster {
                throw ShardMergeError("\(here) was graded from another roster than \(there): refusing to merge")
            }
        }
        var shardFolders: [Int: String] = [:]
        for (directory, record) in records {
            if let other = shardFolders[record.shard.index] {
                throw ShardMergeError("shard \(record.shard) is given twice (\(other) and \(directory))")
            }
            shardFolders[record.shard.index] = directory
        }
        let missingShards = (1...first.shard.count).filter { shardFolders[$0] == nil }
        if !missingShards.isEmpty {
            throw ShardMergeError("missing shard\(missingShards.count == 1 ? "" : "s") \(missingShards.map { "\($0)/\(first.shard.count)" }.joined(separator: ", ")): every shard 1..\(first.shard.count) is needed")
        }
        var graded: [Int: (shard: Shard, student: ShardRecord.StudentRecord)] = [:]
        for (_, record) in records {
            for student in record.students {
                guard first.roster.indices.contains(student.index), first.roster[student.index] == student.student else {
                    throw ShardMergeError("shard \(record.shard) has '\(student.student)' at roster position \(student.index + 1), which the roster does not")
                }
                if let other = graded[student.index] {
                    throw ShardMergeError("student '\(student.student)' is graded twice (shards \(other.shard) and \(record.shard))")
                }
                graded[student.index] = (record.shard, student)
            }
        }
        let missing = first.roster.indices.filter { graded[$0] == nil }.map { "'\(first.roster[$0])'" }
        if !missing.isEmpty {
            throw ShardMergeError("student\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) graded by no shard")
        }
        var configuration = GradingConfiguration(fixtures: [])
        configuration.rubric = first.rubric
        configuration.jobs = first.jobs
        configuration.stderrLines = first.options.stderrLines
        configuration.strict = first.options.strict
        configuration.seed = first.options.seed
        configuration.samples = first.options.samples
        configuration.shell = first.options.shell
        let grades = try first.roster.indices.map { index throws(ShardMergeError) in try grade(graded[index]!.student, rubric: first.rubric) }
        // Shards run side by side: the class took as long as the slowest.
        let duration = Duration.seconds(records.map(\.record.durationSeconds).max() ?? 0)
        let formats = first.options.formats.compactMap(ReportFormat.init(rawValue:))
        return (ClassResult(grades: grades, duration: duration, configuration: configuration), formats)
    }

    static func grade(_ record: ShardRecord.StudentRecord, rubric: Rubric) throws(ShardMergeError) -> StudentGrade {
        let target: StudentTarget
        if record.command {
            target = .command(record.target)
        } else {
            do {
                target = .endpoint(try Endpoint.parse(record.target))
            } catch {
                throw ShardMergeError("student '\(record.student)': the target '\(record.target)' is not host:port")
            }
        }
        let entry = RosterEntry(student: record.student, parameters: record.parameters, target: target, options: record.options, line: record.line,
                                role: record.role.flatMap(RosterRole.init(rawValue:)))
        return StudentGrade(entry: entry, status: record.status, report: record.report, score: rubric.score(record.report),
                            launch: record.launch?.record, duration: .seconds(record.durationSeconds))
    }
}

extension ShardRecord {
    /// Writes `directory/shard.json`.
    package func write(to directory: String) throws(GradeOutputError) {
        try GradeFiles.save(json, Self.fileName, in: directory)
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireProtocol
import RandWireSocket

/// Where a student's server is: already running, or started by a command.
package enum StudentTarget: Sendable, Hashable, CustomStringConvertible {
    /// A server someone else started (`127.0.0.1:9001`).
    case endpoint(Endpoint)
    /// A command that starts the server on the port in `$PORT` (and `{port}`).
    case command(String)

    package var description: String {
        switch self {
        case .endpoint(let endpoint): endpoint.description
        case .command(let command): command
        }
    }
}

/// One roster row.
package struct RosterEntry: Sendable, Hashable {
    package let student: String
    package let parameters: ProfileParameters
    package let target: StudentTarget
    /// The options column as written (`min=1;max=100`), empty when absent.
    package let options: String
    /// The line of the roster file the row starts on.
    package let line: Int

    package init(student: String, parameters: ProfileParameters, target: StudentTarget, options: String = "", line: Int = 0) {
        self.student = student
        self.parameters = parameters
        self.target = target
        self.options = options
        self.line = line
    }

    package var profile: Profile { parameters.profile }
}

/// A roster problem, as `roster.csv:LINE: problem`.
package struct RosterError: Error, Sendable, Hashable, CustomStringConvertible {
    package let file: String
    package let line: Int
    package let problem: String

    package init(file: String, line: Int, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    /// `roster.csv:LINE: problem`, or `roster.csv: problem` for the file as a whole (line 0).
    package var description: String { line > 0 ? "\(file):\(line): \(problem)" : "\(file): \(problem)" }
}

/// The class to grade: `student,profile,target[,options]` per row (see `docs/grading.md`).
///
/// - A first row starting with `student` is a header and skipped; so are blank rows and lines
///   starting with `#` (comments, whatever they contain).
/// - `target` is `host:port` when it parses as one, else a command.
/// - `options` sets the profile's parameters with the names of `randwire check`'s flags:
///   `min=1;max=100`, `count=5`, `tokens=even=PAR,odd=IMPAR`, `too-long=same-length`.
package struct Roster: Sendable, Hashable {
    package let entries: [RosterEntry]

    package init(entries: [RosterEntry]) {
        self.entries = entries
    }

    /// Reads and parses the roster at `path`; errors name the path as given.
    package static func load(path: String, shell: Bool = false) throws(RosterError) -> Roster {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RosterError(file: path, line: 0, problem: "cannot read the roster file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RosterError(file: path, line: 1, problem: "the roster is not UTF-8 text (save it as CSV UTF-8)")
        }
        return try parse(text, file: path, shell: shell)
    }

    /// Parses roster text. `shell`: commands go to `/bin/sh -c` whole, so they are not split here.
    package static func parse(_ text: String, file: String = "roster.csv", shell: Bool = false) throws(RosterError) -> Roster {
        let records: [CSV.Record]
        do {
            records = try CSV.parse(text, comments: true)
        } catch {
            throw RosterError(file: file, line: error.line, problem: error.problem)
        }
        var entries: [RosterEntry] = []
        var seen: [String: Int] = [:]
        var first = true
        for record in records {
            let fields = record.fields
            func fail(_ problem: String) -> RosterError { RosterError(file: file, line: record.line, problem: problem) }
            if fields.allSatisfy(\.isEmpty) { continue }
            if fields[0].hasPrefix("#") { continue }
            defer { first = false }
            if first && fields[0].lowercased() == "student" { continue }
            guard fields.count >= 3 else {
                throw fail("expected student,profile,target (host:port or a command), got \(fields.count) field\(fields.count == 1 ? "" : "s")")
            }
            guard fields.count <= 4 else {
                throw fail("expected at most 4 fields (student,profile,target,options), got \(fields.count); quote a command that contains a comma")
            }
            let student = fields[0]
            guard !student.isEmpty else { throw fail("empty student name") }
            if student.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw fail("the student name contains a control character")
            }
            if let previous = seen[student] { throw fail("duplicate student '\(student)' (first on line \(previous))") }
            guard let profile = Profile(rawValue: fields[1].lowercased()) else {
                let shown = fields[1].isEmpty ? "an empty profile" : "unknown profile '\(fields[1])'"
                throw fail("\(shown): expected one of \(Profile.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let options = fields.count == 4 ? fields[3] : ""
            let parameters: ProfileParameters
            do {
                parameters = try RosterOptions.parameters(options, profile: profile)
            } catch {
                throw fail("options '\(options)': \(error.description)")
            }
            let target = try parseTarget(fields[2], shell: shell, fail: fail)
            seen[student] = record.line
            entries.append(RosterEntry(student: student, parameters: parameters, target: target, options: options, line: record.line))
        }
        guard !entries.isEmpty else { throw RosterError(file: file, line: 1, problem: "no students in the roster") }
        return Roster(entries: entries)
    }

    static func parseTarget(_ text: String, shell: Bool, fail: (String) -> RosterError) throws(RosterError) -> StudentTarget {
        guard !text.isEmpty else { throw fail("empty target: expected host:port or a command that starts the server on $PORT") }
        if let endpoint = try? Endpoint.parse(text) {
            guard endpoint.port != 0 else { throw fail("'\(text)': port 0 is not a server's port") }
            return .endpoint(endpoint)
        }
        if !shell {
            let arguments: [String]
            do {
                arguments = try CommandSplitter.split(text)
            } catch {
                throw fail("command \(text): \(error.description)")
            }
            guard !arguments.isEmpty else { throw fail("empty command") }
        }
        return .command(text)
    }
}

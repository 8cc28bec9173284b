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

/// Which half of an assignment a roster row grades.
package enum RosterRole: String, Sendable, Hashable, CaseIterable {
    /// The row's target is a server, judged by the checks of `randwire check`.
    case server
    /// The row's command is a client program, judged by the checks of `randwire check-client`.
    case client
}

/// One roster row.
package struct RosterEntry: Sendable, Hashable {
    /// The name in grades.csv and the reports: the student's, with `-client` added to a client
    /// row whose student also has a server row, so each row has a name of its own.
    package let student: String
    package let role: RosterRole
    package let parameters: ProfileParameters
    package let target: StudentTarget
    /// The options column as written (`min=1;max=100`), empty when absent.
    package let options: String
    /// The line of the roster file the row starts on.
    package let line: Int

    package init(student: String, parameters: ProfileParameters, target: StudentTarget, options: String = "", line: Int = 0,
                 role: RosterRole? = nil) {
        self.student = student
        self.role = role ?? (RosterOptions.isClient(options) ? .client : .server)
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
        // Without a header the columns are student,profile,target[,options]; a header may
        // name them in any order and add `role` (server or client).
        var columns = Self.positionalColumns
        for record in records {
            var fields = record.fields
            func fail(_ problem: String) -> RosterError { RosterError(file: file, line: record.line, problem: problem) }
            if fields.allSatisfy(\.isEmpty) { continue }
            if fields[0].hasPrefix("#") { continue }
            defer { first = false }
            if first && fields[0].lowercased() == "student" {
                columns = try headerColumns(fields, fail: fail)
                continue
            }
            let role: RosterRole?
            if let roleIndex = columns.firstIndex(of: "role") {
                let text = roleIndex < fields.count ? fields[roleIndex].trimmingSpaces().lowercased() : ""
                guard text.isEmpty || RosterRole(rawValue: text) != nil else {
                    throw fail("role must be server or client, got '\(fields[roleIndex])'")
                }
                role = RosterRole(rawValue: text)
                if roleIndex < fields.count { fields.remove(at: roleIndex) }
            } else {
                role = nil
            }
            guard fields.count >= 3 else {
                throw fail("expected student,profile,target (host:port or a command), got \(fields.count) field\(fields.count == 1 ? "" : "s")")
            }
            guard fields.count <= 4 else {
                throw fail("expected at most 4 fields (student,profile,target,options), got \(fields.count); quote a command that contains a comma")
            }
            let name = fields[0]
            guard !name.isEmpty else { throw fail("empty student name") }
            if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw fail("the student name contains a control character")
            }
            let options = fields.count == 4 ? fields[3] : ""
            let rowRole = role ?? (RosterOptions.isClient(options) ? .client : .server)
            if role == .client && RosterOptions.value("kind", in: options)?.trimmingSpaces() == "server" {
                throw fail("role client contradicts kind=server in the options")
            }
            let key = "\(name)\u{0}\(rowRole.rawValue)"
            if let previous = seen[key] { throw fail("duplicate student '\(name)'\(rowRole == .client ? " (client)" : "") (first on line \(previous))") }
            let student = name
            guard let profile = Profile(rawValue: fields[1].lowercased()) else {
                let shown = fields[1].isEmpty ? "an empty profile" : "unknown profile '\(fields[1])'"
                throw fail("\(shown): expected one of \(Profile.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let parameters: ProfileParameters
            do {
                parameters = try RosterOptions.parameters(options, profile: profile)
            } catch {
                throw fail("options '\(options)': \(error.description)")
            }
            let target = try parseTarget(fields[2], shell: shell, fail: fail)
            if rowRole == .client, case .endpoint = target {
                throw fail("a client row needs the command that starts the client, not an address ('\(fields[2])')")
            }
            seen[key] = record.line
            entries.append(RosterEntry(student: student, parameters: parameters, target: target, options: options, line: record.line, role: rowRole))
        }
        guard !entries.isEmpty else { throw RosterError(file: file, line: 1, problem: "no students in the roster") }
        // One roster can grade both halves: a client row beside its author's server row is named apart.
        let servers = Set(entries.filter { $0.role == .server }.map(\.student))
        let named = entries.map { entry in
            entry.role == .client && servers.contains(entry.student)
                ? RosterEntry(student: entry.student + "-client", parameters: entry.parameters, target: entry.target, options: entry.options, line: entry.line, role: .client)
                : entry
        }
        var names: [String: Int] = [:]
        for entry in named {
            if let previous = names[entry.student] {
                throw RosterError(file: file, line: entry.line, problem: "the name '\(entry.student)' is taken by line \(previous); rename one of them")
            }
            names[entry.student] = entry.line
        }
        return Roster(entries: named)
    }

    static let positionalColumns = ["student", "profile", "target", "options"]

    /// The header's column names: student, profile and target, with options and role optional.
    static func headerColumns(_ fields: [String], fail: (String) -> RosterError) throws(RosterError) -> [String] {
        let names = fields.map { $0.trimmingSpaces().lowercased() }
        let known = positionalColumns + ["role"]
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw fail("unknown column '\(unknown)' in the header: expected \(known.joined(separator: ", "))")
        }
        let withoutRole = names.filter { $0 != "role" }
        guard withoutRole == Array(positionalColumns.prefix(withoutRole.count)), withoutRole.count >= 3 else {
            throw fail("the header must list student,profile,target[,options] in that order (role may go anywhere)")
        }
        return names
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

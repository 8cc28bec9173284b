#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireProtocol

/// A fixture file or folder that cannot be used, naming it, the field (or the line and column
/// of a JSON syntax error) and what is wrong (exit 65). `field` is "-" for the whole file.
package struct FixtureError: Error, Sendable, CustomStringConvertible {
    package var file: String
    package let field: String
    package let problem: String
    package var line: Int?
    package var column: Int?

    package init(file: String, field: String, problem: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.field = field
        self.problem = problem
        self.line = line
        self.column = column
    }

    /// `file:line:column: problem` (as compilers print it) when the place is known.
    package var description: String {
        if let line, let column { return "\(file):\(line):\(column): \(problem)" }
        return field == "-" ? "\(file): \(problem)" : "\(file): \(field): \(problem)"
    }
}

/// The fields every fixture case has, server or client, validated the same way.
package struct FixtureHeader: Sendable {
    package let id: String
    package let title: String
    package let profiles: [Profile]
    package let requirements: [String]
    package let level: RequirementLevel
    package let order: Int

    static func parse<Output>(_ object: [String: Any], idPattern: Regex<Output>, idShape: String, levels: [RequirementLevel],
                      fail: (String, String) -> FixtureError) throws(FixtureError) -> FixtureHeader {
        guard let id = object["id"] as? String, !id.isEmpty else { throw fail("id", "required, a non-empty string") }
        guard id.wholeMatch(of: idPattern) != nil else { throw fail("id", "'\(id)' must look like \(idShape)") }
        guard let title = object["title"] as? String, !title.isEmpty else { throw fail("title", "required, a non-empty string") }
        guard let profileNames = object["profiles"] as? [String], !profileNames.isEmpty else {
            throw fail("profiles", "required, a non-empty array of bare, request, csv, double, parity")
        }
        var profiles: [Profile] = []
        for name in profileNames {
            guard let profile = Profile(rawValue: name) else { throw fail("profiles", "unknown profile '\(name)'") }
            profiles.append(profile)
        }
        guard let requirements = object["requirements"] as? [String], !requirements.isEmpty else {
            throw fail("requirements", "required, a non-empty array of requirement IDs such as \"PARITY-1\"")
        }
        var strongest = RequirementLevel.may
        for requirementID in requirements {
            guard let requirement = Requirements.requirement(requirementID) else {
                throw fail("requirements", "unknown requirement ID '\(requirementID)' (see the table in Spec/randwire.md)")
            }
            if requirement.level < strongest { strongest = requirement.level }
        }
        var level = strongest
        if let levelText = object["level"] {
            guard let text = levelText as? String, let parsed = RequirementLevel(rawValue: text), levels.contains(parsed) else {
                throw fail("level", "must be " + levels.map { "\"\($0.rawValue)\"" }.joined(separator: " or "))
            }
            level = parsed
        }
        var order = 100
        if let value = object["order"] {
            guard let number = value as? Int else { throw fail("order", "must be an integer") }
            order = number
        }
        return FixtureHeader(id: id, title: title, profiles: profiles, requirements: requirements, level: level, order: order)
    }
}

/// Loads and validates fixtures: the embedded suite, and a user's `--fixtures DIR`.
package enum FixtureLoader {
    /// The suite built into the binary (a copy of `Fixtures/`, checked equal by a test).
    package static func builtIn() throws(FixtureError) -> [Fixture] {
        var all: [Fixture] = []
        // Client fixtures live beside them, in `clients/` (ClientFixtureLoader).
        for file in EmbeddedFixtures.files where !file.name.hasPrefix(clientFolder) {
            all += try parse(Data(file.contents.utf8), file: file.name)
        }
        try checkUniqueIDs(all)
        return all
    }

    /// Every `*.json` file under `directory` (recursively), sorted by path. A folder that is
    /// missing or holds no fixture file is an error: a `--fixtures` that adds nothing is a mistake.
    /// Errors name the file by its path under `directory` as given, so it can be opened as shown.
    package static func load(directory: String) throws(FixtureError) -> [Fixture] {
        // A `clients/` folder holds client fixtures (`check-client --fixtures`), as in `Fixtures/`.
        let all = try loadFolder(directory, option: "--fixtures", including: { !$0.hasPrefix(clientFolder) }, parseCase: parseCase)
        try checkUniqueIDs(all)
        return all
    }

    /// The folder of the embedded suite that holds the client fixtures.
    package static let clientFolder = "clients/"

    /// Every case of every fixture file under `directory`, parsed by `parseCase` (server and
    /// client fixtures share the file shape and the error reporting).
    package static func loadFolder<Case>(
        _ directory: String, option: String, including: (_ relativeName: String) -> Bool = { _ in true },
        parseCase: (_ object: [String: Any], _ file: String, _ path: String) throws(FixtureError) -> Case
    ) throws(FixtureError) -> [Case] {
        let base = URL(fileURLWithPath: directory)
        let whatToGive = "\(option) takes a folder of fixture .json files (see Fixtures/README.md)"
        guard let isDirectory = isFolder(base.path) else {
            throw FixtureError(file: directory, field: "-", problem: "no such folder; \(whatToGive)")
        }
        guard isDirectory else {
            throw FixtureError(file: directory, field: "-", problem: "is a file, not a folder; \(whatToGive)")
        }
        let files = jsonFiles(under: base).filter { including(relativeName($0, base: base)) }
        guard !files.isEmpty else {
            throw FixtureError(
                file: directory, field: "-",
                problem: "no fixture .json files in this folder (*.schema.json files do not count); put the cases there, or drop \(option)")
        }
        var all: [Case] = []
        for file in files {
            let name = relativeName(file, base: base)
            let shownPath = (directory.hasSuffix("/") ? directory : directory + "/") + name
            guard let data = try? Data(contentsOf: file) else {
                throw FixtureError(file: shownPath, field: "-", problem: "cannot be read; check its permissions")
            }
            do {
                all += try parseFile(data, file: name, parseCase: parseCase)
            } catch {
                var located = error
                located.file = shownPath
                throw located
            }
        }
        return all
    }

    /// The JSON files of a fixtures folder, skipping schemas, as (relative name, contents) pairs.
    package static func jsonFiles(under base: URL) -> [URL] {
        guard let paths = try? FileManager.default.subpathsOfDirectory(atPath: base.path) else { return [] }
        var files: [URL] = []
        for url in paths.map({ base.appendingPathComponent($0) })
        where url.pathExtension == "json" && !url.lastPathComponent.hasSuffix(".schema.json") && isFolder(url.path) == false {
            files.append(url)
        }
        return files.sorted { $0.path < $1.path }
    }

    /// Whether `path` is a folder (symbolic links followed); nil when nothing is there.
    static func isFolder(_ path: String) -> Bool? {
        #if canImport(Darwin)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        return isDirectory.boolValue
        #else
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        return isDirectory
        #endif
    }

    package static func relativeName(_ file: URL, base: URL) -> String {
        let path = file.standardizedFileURL.path
        let prefix = base.standardizedFileURL.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : file.lastPathComponent
    }

    package static func checkUniqueIDs(_ fixtures: [Fixture]) throws(FixtureError) {
        try checkUniqueIDs(fixtures.map { ($0.id, $0.source) })
    }

    package static func checkUniqueIDs(_ cases: [(id: String, source: String)]) throws(FixtureError) {
        var seen: [String: String] = [:]
        for (id, source) in cases {
            if let other = seen[id] {
                throw FixtureError(file: source, field: "id", problem: "'\(id)' is also defined in \(other)")
            }
            seen[id] = source
        }
    }

    /// Parses one file: either one case object, or `{"cases": [...]}` whose cases may inherit
    /// `profiles` from the file.
    package static func parse(_ data: Data, file: String) throws(FixtureError) -> [Fixture] {
        try parseFile(data, file: file, parseCase: parseCase)
    }

    /// One file of either kind of fixture, each case parsed by `parseCase`.
    package static func parseFile<Case>(
        _ data: Data, file: String,
        parseCase: (_ object: [String: Any], _ file: String, _ path: String) throws(FixtureError) -> Case
    ) throws(FixtureError) -> [Case] {
        // Scanned first: it gives the line and column, and refuses what Foundation on Linux lets
        // through (trailing commas) but jq, Python and JSON Schema tools refuse.
        if let failure = JSONSyntaxScan.firstError(in: Array(data)) {
            throw FixtureError(
                file: file, field: "-", problem: "not valid JSON: \(failure.problem); fix the file there",
                line: failure.line, column: failure.column)
        }
        let root: Any
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data).value
        } catch {
            // Valid syntax that Foundation still refuses (e.g. text that is not UTF-8).
            var reason = "\(error)"
            if case DecodingError.dataCorrupted(let context) = error { reason = context.debugDescription }
            throw FixtureError(file: file, field: "-", problem: "not valid JSON (\(reason)); fix the file (UTF-8, one object)")
        }
        guard let object = root as? [String: Any] else {
            throw FixtureError(file: file, field: "-", problem: "the top level must be an object")
        }
        if let cases = object["cases"] {
            guard let list = cases as? [Any], !list.isEmpty else {
                throw FixtureError(file: file, field: "cases", problem: "must be a non-empty array of cases")
            }
            let inherited = object["profiles"]
            var fixtures: [Case] = []
            for (index, item) in list.enumerated() {
                guard var caseObject = item as? [String: Any] else {
                    throw FixtureError(file: file, field: "cases[\(index)]", problem: "must be an object")
                }
                if caseObject["profiles"] == nil, let inherited { caseObject["profiles"] = inherited }
                fixtures.append(try parseCase(caseObject, file, "cases[\(index)]."))
            }
            return fixtures
        }
        return [try parseCase(object, file, "")]
    }

    private static let caseKeys: Set<String> = [
        "id", "title", "profiles", "requirements", "level", "destructive", "order", "steps", "expect", "comment",
    ]
    private static let expectKeys: Set<String> = ["response", "answerWithinMs", "thenServes"]

    static func parseCase(_ object: [String: Any], file: String, path: String) throws(FixtureError) -> Fixture {
        func fail(_ field: String, _ problem: String) -> FixtureError {
            FixtureError(file: file, field: path + field, problem: problem)
        }
        for key in object.keys where !caseKeys.contains(key) {
            throw fail(key, "unknown field (expected one of \(caseKeys.sorted().joined(separator: ", ")))")
        }
        let header = try FixtureHeader.parse(object, idPattern: #/[a-z0-9]+(\.[a-z0-9-]+)+/#, idShape: "group.name (lowercase letters, digits, '-', dots)",
                                             levels: [.must, .should], fail: fail)
        let destructive = try bool(object["destructive"], default: false, field: "destructive", fail: fail)
        guard let stepList = object["steps"] as? [Any] else { throw fail("steps", "required, an array of steps") }
        var steps: [Fixture.Step] = []
        for (index, item) in stepList.enumerated() {
            steps.append(try parseStep(item, field: "steps[\(index)]", fail: fail))
        }
        guard let expect = object["expect"] as? [String: Any] else { throw fail("expect", "required, an object") }
        for key in expect.keys where !expectKeys.contains(key) {
            throw fail("expect.\(key)", "unknown field (expected one of \(expectKeys.sorted().joined(separator: ", ")))")
        }
        let response = try parseResponse(expect["response"], fail: fail)
        var answerWithin: Int?
        if let value = expect["answerWithinMs"] {
            guard let number = value as? Int, (1...60_000).contains(number) else {
                throw fail("expect.answerWithinMs", "must be an integer between 1 and 60000")
            }
            answerWithin = number
        }
        let thenServes = try bool(expect["thenServes"], default: false, field: "expect.thenServes", fail: fail)
        if steps.contains(.reset), response != .any {
            throw fail("expect.response", "a fixture that resets the connection reads nothing: use \"any\"")
        }
        return Fixture(
            id: header.id, title: header.title, profiles: header.profiles, requirements: header.requirements, level: header.level,
            destructive: destructive, order: header.order, steps: steps, response: response,
            answerWithinMilliseconds: answerWithin, thenServes: thenServes, source: file
        )
    }

    static func bool(_ value: Any?, default fallback: Bool, field: String, fail: (String, String) -> FixtureError) throws(FixtureError) -> Bool {
        guard let value else { return fallback }
        guard let flag = value as? Bool else {
            throw fail(field, "must be true or false")
        }
        return flag
    }

    static func bytes(_ value: Any?, field: String, fail: (String, String) -> FixtureError) throws(FixtureError) -> [UInt8] {
        if let text = value as? String { return Array(text.utf8) }
        guard let object = value as? [String: Any] else {
            throw fail(field, "must be a string or an object with \"text\" or \"hex\" (and optional \"repeat\")")
        }
        for key in object.keys where !["text", "hex", "repeat"].contains(key) {
            throw fail("\(field).\(key)", "unknown field (expected text, hex or repeat)")
        }
        var unit: [UInt8]
        if let text = object["text"] as? String {
            guard object["hex"] == nil else { throw fail(field, "give either text or hex, not both") }
            unit = Array(text.utf8)
        } else if let hex = object["hex"] as? String {
            guard let decoded = decodeHex(hex) else {
                throw fail("\(field).hex", "'\(hex.prefix(40))' is not an even number of hex digits")
            }
            unit = decoded
        } else {
            throw fail(field, "needs \"text\" or \"hex\"")
        }
        if let repeatValue = object["repeat"] {
            // multipliedReportingOverflow: a huge repeat count must be refused, not trap.
            guard let count = repeatValue as? Int, count >= 1,
                case let (total, overflow) = count.multipliedReportingOverflow(by: Swift.max(unit.count, 1)), !overflow, total <= 4 << 20
            else {
                throw fail("\(field).repeat", "must be a positive integer and the result at most 4 MiB")
            }
            unit = Array([[UInt8]](repeating: unit, count: count).joined())
        }
        return unit
    }

    /// Hex digits, spaces allowed between bytes for readability.
    static func decodeHex(_ text: String) -> [UInt8]? {
        Transcript.bytes(fromHex: String(text.filter { $0 != " " }))
    }

    static func milliseconds(_ value: Any?, field: String, fail: (String, String) -> FixtureError) throws(FixtureError) -> Int {
        guard let number = value as? Int, (0...30_000).contains(number) else {
            throw fail(field, "must be an integer number of milliseconds between 0 and 30000")
        }
        return number
    }

    static func parseStep(_ item: Any, field: String, fail: (String, String) -> FixtureError) throws(FixtureError) -> Fixture.Step {
        guard let object = item as? [String: Any], object.count == 1, let (key, value) = object.first else {
            throw fail(field, "must be an object with exactly one of connect, send, sendChunks, halfClose, waitMs, expectSilenceMs, reset")
        }
        switch key {
        case "send":
            return .send(try bytes(value, field: "\(field).send", fail: fail))
        case "sendChunks":
            guard let chunkObject = value as? [String: Any], let list = chunkObject["chunks"] as? [Any], list.count >= 2 else {
                throw fail("\(field).sendChunks", "needs \"chunks\": an array of at least two strings or byte objects, and \"delayMs\"")
            }
            var chunks: [[UInt8]] = []
            for (index, chunk) in list.enumerated() {
                chunks.append(try bytes(chunk, field: "\(field).sendChunks.chunks[\(index)]", fail: fail))
            }
            let delay = try milliseconds(chunkObject["delayMs"] ?? 5, field: "\(field).sendChunks.delayMs", fail: fail)
            return .sendChunks(chunks, delayMilliseconds: delay)
        case "halfClose":
            guard value as? Bool == true else { throw fail("\(field).halfClose", "must be true") }
            return .halfClose
        case "waitMs":
            return .wait(milliseconds: try milliseconds(value, field: "\(field).waitMs", fail: fail))
        case "expectSilenceMs":
            return .expectSilence(milliseconds: try milliseconds(value, field: "\(field).expectSilenceMs", fail: fail))
        case "reset":
            guard value as? Bool == true else { throw fail("\(field).reset", "must be true") }
            return .reset
        case "connect":
            // The connection is implicit; accepted so fixtures can spell the whole exchange.
            return .wait(milliseconds: 0)
        default:
            throw fail(field, "unknown step '\(key)' (expected connect, send, sendChunks, halfClose, waitMs, expectSilenceMs, reset)")
        }
    }

    static func parseResponse(_ value: Any?, fail: (String, String) -> FixtureError) throws(FixtureError) -> Fixture.ExpectedResponse {
        let field = "expect.response"
        guard let value else { throw fail(field, "required: \"spec\", \"nothing\", \"any\", or an object with token, text, hex or number") }
        if let word = value as? String {
            switch word {
            case "spec": return .spec
            case "nothing": return .nothing
            case "any": return .any
            default: throw fail(field, "'\(word)' is not one of \"spec\", \"nothing\", \"any\"")
            }
        }
        if let object = value as? [String: Any], object["text"] != nil || object["hex"] != nil {
            return .exact(try bytes(object, field: field, fail: fail))
        }
        guard let object = value as? [String: Any], object.count == 1, let (key, inner) = object.first else {
            throw fail(field, "must be \"spec\", \"nothing\", \"any\", or an object with exactly one of token, text, hex, number")
        }
        switch key {
        case "token":
            guard let name = inner as? String, ["even", "odd", "too-long", "error"].contains(name) else {
                throw fail("\(field).token", "must be one of even, odd, too-long, error")
            }
            return .token(name)
        case "number":
            guard let range = inner as? [String: Any] else { throw fail("\(field).number", "must be an object with optional min and max") }
            let min = range["min"] as? Int
            let max = range["max"] as? Int
            if let min, let max, min > max { throw fail("\(field).number", "min \(min) is greater than max \(max)") }
            return .number(min: min, max: max)
        default:
            throw fail(field, "unknown expectation '\(key)' (expected token, text, hex or number)")
        }
    }
}

/// A JSON value for JSONDecoder and JSONEncoder, where FoundationEssentials has no
/// JSONSerialization: fixture files read as JSONSerialization gave them (`value`), `get --json` lines.
package enum JSONValue: Codable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? container.decode(Int.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let list = try? container.decode([JSONValue].self) {
            self = .array(list)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .integer(let integer): try container.encode(integer)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let list): try container.encode(list)
        case .object(let object): try container.encode(object)
        }
    }

    /// As an untyped value: objects as [String: Any], arrays as [Any], null as `JSONValue.null`.
    var value: Any {
        switch self {
        case .null: return JSONValue.null
        case .bool(let flag): return flag
        case .integer(let integer): return integer
        case .number(let number): return number
        case .string(let text): return text
        case .array(let list): return list.map(\.value)
        case .object(let object): return object.mapValues(\.value)
        }
    }
}

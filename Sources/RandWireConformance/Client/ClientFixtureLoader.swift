#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireProtocol

/// Loads and validates client fixtures: the embedded `Fixtures/clients/`, and a teacher's
/// `check-client --fixtures DIR`. Same file shape and error reporting as server fixtures.
package enum ClientFixtureLoader {
    package static func builtIn() throws(FixtureError) -> [ClientFixture] {
        var all: [ClientFixture] = []
        for file in EmbeddedFixtures.files where file.name.hasPrefix(FixtureLoader.clientFolder) {
            all += try FixtureLoader.parseFile(Data(file.contents.utf8), file: file.name, parseCase: parseCase)
        }
        try FixtureLoader.checkUniqueIDs(all.map { ($0.id, $0.source) })
        return all
    }

    /// `existing` plus the cases of `directory`; an ID defined twice is an error naming both files.
    package static func load(directory: String, adding existing: [ClientFixture] = []) throws(FixtureError) -> [ClientFixture] {
        let all = try existing + FixtureLoader.loadFolder(directory, option: "--fixtures", parseCase: parseCase)
        try FixtureLoader.checkUniqueIDs(all.map { ($0.id, $0.source) })
        return all
    }

    package static func parse(_ data: Data, file: String) throws(FixtureError) -> [ClientFixture] {
        try FixtureLoader.parseFile(data, file: file, parseCase: parseCase)
    }

    private static let caseKeys: Set<String> = ["id", "title", "profiles", "requirements", "level", "order", "serve", "expect", "comment"]
    private static let expectKeys: Set<String> = ["client", "withinMs", "acceptedIf", "echoOf"]
    private static let stepNames = "send, sendPieces, waitMs, drip, end"

    static func parseCase(_ object: [String: Any], file: String, path: String) throws(FixtureError) -> ClientFixture {
        func fail(_ field: String, _ problem: String) -> FixtureError {
            FixtureError(file: file, field: path + field, problem: problem)
        }
        for key in object.keys where !caseKeys.contains(key) {
            throw fail(key, "unknown field (expected one of \(caseKeys.sorted().joined(separator: ", ")))")
        }
        let header = try FixtureHeader.parse(object, idPattern: #/client(\.[a-z0-9-]+)+/#, idShape: "client.name (lowercase letters, digits, '-')",
                                             levels: RequirementLevel.allCases, fail: fail)
        let requirementIDs = header.requirements
        guard let stepList = object["serve"] as? [Any] else { throw fail("serve", "required, an array of steps (\(stepNames))") }
        var steps: [ClientFixture.Step] = []
        var end = ClientFixture.End.close
        for (index, item) in stepList.enumerated() {
            let field = "serve[\(index)]"
            guard let step = item as? [String: Any], step.count == 1, let (key, value) = step.first else {
                throw fail(field, "must be an object with exactly one of \(stepNames)")
            }
            switch key {
            case "send":
                steps.append(.send(try payload(value, field: "\(field).send", fail: fail)))
            case "sendPieces":
                guard let pieces = value as? [String: Any], let text = pieces["text"] else {
                    throw fail("\(field).sendPieces", "needs \"text\", \"pieces\" (2 to 10) and \"delayMs\"")
                }
                for key in pieces.keys where !["text", "pieces", "delayMs"].contains(key) {
                    throw fail("\(field).sendPieces.\(key)", "unknown field (expected text, pieces or delayMs)")
                }
                guard let count = pieces["pieces"] as? Int, (2...10).contains(count) else {
                    throw fail("\(field).sendPieces.pieces", "must be an integer from 2 to 10")
                }
                let delay = try FixtureLoader.milliseconds(pieces["delayMs"], field: "\(field).sendPieces.delayMs", fail: fail)
                steps.append(.sendPieces(try payload(text, field: "\(field).sendPieces.text", fail: fail), pieces: count, delayMilliseconds: delay))
            case "drip":
                guard let drip = value as? [String: Any], let text = drip["text"] else {
                    throw fail("\(field).drip", "needs \"text\" and \"everyMs\" (10 to 5000)")
                }
                for key in drip.keys where !["text", "everyMs"].contains(key) {
                    throw fail("\(field).drip.\(key)", "unknown field (expected text or everyMs)")
                }
                guard let every = drip["everyMs"] as? Int, (10...5000).contains(every) else {
                    throw fail("\(field).drip.everyMs", "must be an integer from 10 to 5000")
                }
                steps.append(.drip(try payload(text, field: "\(field).drip.text", fail: fail), everyMilliseconds: every))
            case "waitMs":
                steps.append(.wait(milliseconds: try FixtureLoader.milliseconds(value, field: "\(field).waitMs", fail: fail)))
            case "end":
                guard let name = value as? String, let parsed = ClientFixture.End(rawValue: name) else {
                    throw fail("\(field).end", "must be \"close\", \"reset\" or \"hold\"")
                }
                guard index == stepList.count - 1 else { throw fail("\(field).end", "must be the last step") }
                end = parsed
            default:
                throw fail(field, "unknown step '\(key)' (expected one of \(stepNames))")
            }
        }
        guard let expect = object["expect"] as? [String: Any] else { throw fail("expect", "required, an object with \"client\"") }
        for key in expect.keys where !expectKeys.contains(key) {
            throw fail("expect.\(key)", "unknown field (expected one of \(expectKeys.sorted().joined(separator: ", ")))")
        }
        let names = ClientFixture.Expectation.allCases.map(\.rawValue)
        guard let expectationName = expect["client"] as? String, let expectation = ClientFixture.Expectation(rawValue: expectationName) else {
            throw fail("expect.client", "required, one of \(names.joined(separator: ", "))")
        }
        var within = 2000
        if let value = expect["withinMs"] {
            guard expectation == .answerWithoutClose else { throw fail("expect.withinMs", "applies only to \"answer-without-close\"") }
            within = try FixtureLoader.milliseconds(value, field: "expect.withinMs", fail: fail)
        }
        var acceptedIf: [String] = []
        if let value = expect["acceptedIf"] {
            guard expectation == .reject else { throw fail("expect.acceptedIf", "applies only to \"reject\"") }
            guard let texts = value as? [String], texts.allSatisfy({ !$0.isEmpty }) else {
                throw fail("expect.acceptedIf", "must be an array of non-empty strings")
            }
            acceptedIf = texts
        }
        var echoOf: String?
        if let value = expect["echoOf"] {
            guard expectation == .reject else { throw fail("expect.echoOf", "applies only to \"reject\"") }
            guard let root = value as? String, root.wholeMatch(of: #/client(\.[a-z0-9-]+)+/#) != nil, root != header.id else {
                throw fail("expect.echoOf", "must be the ID of another client check, such as \"client.over-cap\"")
            }
            echoOf = root
        }
        if steps.contains(where: { if case .drip = $0 { true } else { false } }) && end != .hold {
            throw fail("serve", "a drip needs {\"end\": \"hold\"}: it goes on while the connection is held")
        }
        if expectation == .answerWithoutClose && (end != .hold || requirementIDs.count < 2) {
            throw fail("expect.client", "\"answer-without-close\" needs {\"end\": \"hold\"} and two requirements (the bound's, then the quiet time's)")
        }
        return ClientFixture(
            header: header,
            steps: steps, end: end, expectation: expectation, withinMilliseconds: within, acceptedIf: acceptedIf, echoOf: echoOf, source: file)
    }

    /// A text (placeholders allowed) or `{"text"|"hex": …, "repeat": n}`, at most 4 MiB.
    static func payload(_ value: Any?, field: String, fail: (String, String) -> FixtureError) throws(FixtureError) -> ClientFixture.Payload {
        if let text = value as? String {
            try checkPlaceholders(text, field: field, fail: fail)
            return .template(text, repeat: 1)
        }
        if let object = value as? [String: Any], let text = object["text"] as? String, object["hex"] == nil {
            for key in object.keys where !["text", "repeat"].contains(key) {
                throw fail("\(field).\(key)", "unknown field (expected text, hex or repeat)")
            }
            try checkPlaceholders(text, field: "\(field).text", fail: fail)
            var count = 1
            if let repeatValue = object["repeat"] {
                guard let number = repeatValue as? Int, number >= 1,
                    case let (total, overflow) = number.multipliedReportingOverflow(by: Swift.max(text.utf8.count, 1)), !overflow, total <= 4 << 20
                else {
                    throw fail("\(field).repeat", "must be a positive integer and the result at most 4 MiB")
                }
                count = number
            }
            return .template(text, repeat: count)
        }
        return .bytes(try FixtureLoader.bytes(value, field: field, fail: fail))
    }

    private static func checkPlaceholders(_ text: String, field: String, fail: (String, String) -> FixtureError) throws(FixtureError) {
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { return }
            let name = String(rest[open...close])
            if name.dropFirst().dropLast().allSatisfy({ $0.isLetter || $0 == "-" }), !ClientPlaceholders.names.contains(name) {
                throw fail(field, "unknown placeholder \(name) (expected one of \(ClientPlaceholders.names.joined(separator: ", ")))")
            }
            rest = rest[rest.index(after: close)...]
        }
    }
}

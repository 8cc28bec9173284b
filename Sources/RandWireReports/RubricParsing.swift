#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireProtocol

extension Rubric: Codable {
    enum Key: String, CodingKey, CaseIterable {
        case schema = "$schema", description, points, hidden, visibility, hiddenVisibility, partialCredit, passThreshold, maxScore
    }

    /// Reads a rubric file. Missing fields take their defaults; unknown fields, wrong types and
    /// out-of-range numbers are errors that name the field.
    package static func load(path: String) throws(RubricError) -> Rubric {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RubricError(path: path, field: "", message: "cannot read the file")
        }
        do {
            return try parse(data)
        } catch var error {
            error.path = path
            throw error
        }
    }

    /// Parses rubric JSON (see `Spec/rubric.schema.json`).
    package static func parse(_ data: Data) throws(RubricError) -> Rubric {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw RubricError(field: "", message: "not valid JSON (\(Self.shortDescription(of: error)))")
        }
        return try Rubric(json: value)
    }

    init(json: JSONValue) throws(RubricError) {
        guard case let .object(root) = json else {
            throw RubricError(field: "", message: "expected a JSON object at the top level, got \(json.kind)")
        }
        self = Rubric(points: [:])
        let known = Key.allCases.map(\.rawValue)
        for key in root.keys.sorted() where !known.contains(key) {
            throw RubricError(field: key, message: "unknown field; expected one of \(known.dropFirst(2).joined(separator: ", "))")
        }
        if let description = root["description"] {
            switch description {
            case .string, .null: break
            default: throw RubricError(field: "description", message: "expected a string, got \(description.kind)")
            }
        }
        if let value = root["points"] {
            guard case let .object(entries) = value else { throw RubricError(field: "points", message: "expected an object of selector: number, got \(value.kind)") }
            for (selector, entry) in entries.sorted(by: { $0.key < $1.key }) {
                let field = "points." + TextEscaping.yamlQuoted(selector)
                try Self.validateSelector(selector, field: field)
                points[Self.normalised(selector)] = try Self.number(entry, field: field, in: 0...Double.greatestFiniteMagnitude, wanted: "a number ≥ 0")
            }
        } else {
            points = Rubric.default.points
        }
        if let value = root["hidden"] {
            guard case let .array(items) = value else { throw RubricError(field: "hidden", message: "expected an array of selectors, got \(value.kind)") }
            hidden = []
            for (index, item) in items.enumerated() {
                guard case let .string(selector) = item else {
                    throw RubricError(field: "hidden[\(index)]", message: "expected a selector string, got \(item.kind)")
                }
                try Self.validateSelector(selector, field: "hidden[\(index)]")
                hidden.append(Self.normalised(selector))
            }
        }
        visibility = try Self.visibility(root["visibility"], field: "visibility") ?? visibility
        hiddenVisibility = try Self.visibility(root["hiddenVisibility"], field: "hiddenVisibility") ?? hiddenVisibility
        if let value = root["partialCredit"] {
            guard case let .object(entries) = value else {
                throw RubricError(field: "partialCredit", message: "expected an object like {\"statistical\": 1, \"warn\": 0.5}, got \(value.kind)")
            }
            for key in entries.keys.sorted() where key != "statistical" && key != "warn" {
                throw RubricError(field: "partialCredit.\(key)", message: "unknown field; expected statistical or warn")
            }
            if let entry = entries["statistical"] {
                partialCredit.statistical = try Self.number(entry, field: "partialCredit.statistical", in: 0...1, wanted: "a fraction between 0 and 1")
            }
            if let entry = entries["warn"] {
                partialCredit.warn = try Self.number(entry, field: "partialCredit.warn", in: 0...1, wanted: "a fraction between 0 and 1")
            }
        }
        if let value = root["passThreshold"], !value.isNull {
            passThreshold = try Self.number(value, field: "passThreshold", in: 0...1, wanted: "a fraction between 0 and 1 (0.6 means 60%)")
        }
        if let value = root["maxScore"], !value.isNull {
            let number = try Self.number(value, field: "maxScore", in: 0...Double.greatestFiniteMagnitude, wanted: "a number > 0")
            guard number > 0 else { throw RubricError(field: "maxScore", message: "expected a number > 0, got 0") }
            maxScore = number
        }
    }

    package init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        do {
            self = try Rubric(json: value)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(points, forKey: .points)
        try container.encode(hidden, forKey: .hidden)
        try container.encode(visibility, forKey: .visibility)
        try container.encode(hiddenVisibility, forKey: .hiddenVisibility)
        try container.encode(partialCredit, forKey: .partialCredit)
        try container.encodeIfPresent(passThreshold, forKey: .passThreshold)
        try container.encodeIfPresent(maxScore, forKey: .maxScore)
    }

    /// `level:must` → `level:MUST`, so lookups need one spelling.
    static func normalised(_ selector: String) -> String {
        selector.hasPrefix("level:") ? "level:" + selector.dropFirst("level:".count).uppercased() : selector
    }

    static func validateSelector(_ selector: String, field: String) throws(RubricError) {
        if selector.isEmpty { throw RubricError(field: field, message: "empty selector") }
        if selector.hasPrefix("level:") {
            let level = selector.dropFirst("level:".count).uppercased()
            guard RequirementLevel(rawValue: level) != nil else {
                throw RubricError(field: field, message: "unknown level '\(selector.dropFirst("level:".count))'; expected MUST, SHOULD or MAY")
            }
        } else if selector.hasPrefix("section:") {
            let section = selector.dropFirst("section:".count)
            let parts = section.split(separator: ".", omittingEmptySubsequences: false)
            guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
                throw RubricError(field: field, message: "expected a section number like section:7 or section:6.4")
            }
        } else if selector.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw RubricError(field: field, message: "a check ID or glob has no spaces")
        }
    }

    static func number(_ value: JSONValue, field: String, in range: ClosedRange<Double>, wanted: String) throws(RubricError) -> Double {
        guard case let .number(number) = value else { throw RubricError(field: field, message: "expected \(wanted), got \(value.kind)") }
        guard number.isFinite, range.contains(number) else {
            throw RubricError(field: field, message: "expected \(wanted), got \(NumberText.trimmed(number, places: 6))")
        }
        return number
    }

    static func visibility(_ value: JSONValue?, field: String) throws(RubricError) -> String? {
        guard let value, !value.isNull else { return nil }
        guard case let .string(text) = value, visibilities.contains(text) else {
            throw RubricError(field: field, message: "expected one of \(visibilities.joined(separator: ", ")), got \(value.short)")
        }
        return text
    }

    static func shortDescription(of error: any Error) -> String {
        if let decoding = error as? DecodingError, case let .dataCorrupted(context) = decoding {
            return (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
                .split(separator: "\n").first.map(String.init) ?? "malformed"
        }
        return "\(error)".split(separator: "\n").first.map(String.init) ?? "malformed"
    }
}

/// Any JSON value, so rubric errors can say which field has which wrong type.
enum JSONValue: Decodable, Hashable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let bool = try? container.decode(Bool.self) { self = .bool(bool) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else if let string = try? container.decode(String.self) { self = .string(string) }
        else if let array = try? container.decode([JSONValue].self) { self = .array(array) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    var isNull: Bool { self == .null }

    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value for an error message: strings quoted, containers by kind.
    var short: String {
        switch self {
        case let .string(text): TextEscaping.yamlQuoted(String(text.prefix(40)))
        case let .number(number): NumberText.trimmed(number, places: 6)
        case let .bool(bool): String(bool)
        default: kind
        }
    }
}

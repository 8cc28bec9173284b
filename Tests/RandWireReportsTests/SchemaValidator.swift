import Foundation
@testable import RandWireReports

/// The subset of JSON Schema 2020-12 our schemas use: type, const, enum, required, properties,
/// additionalProperties, propertyNames, items, anyOf, oneOf, allOf, dependentSchemas,
/// minProperties, maxProperties, minItems, $ref to #/$defs, minimum, maximum, exclusiveMinimum,
/// minLength, pattern. Returns every violation with its path.
struct SchemaValidator {
    let root: JSONValue

    init(schemaFile: String, folder: String = "Spec") throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(folder).appendingPathComponent(schemaFile)
        root = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
    }

    func validate(_ json: String) throws -> [String] {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        var errors: [String] = []
        check(value, against: root, at: "$", errors: &errors)
        return errors
    }

    func resolve(_ schema: JSONValue) -> JSONValue {
        guard case let .object(members) = schema, case let .string(ref)? = members["$ref"] else { return schema }
        precondition(ref.hasPrefix("#/$defs/"), "only local $defs refs are supported: \(ref)")
        guard case let .object(rootMembers) = root, case let .object(defs)? = rootMembers["$defs"],
              let target = defs[String(ref.dropFirst("#/$defs/".count))] else {
            preconditionFailure("unresolved \(ref)")
        }
        return resolve(target)
    }

    func check(_ value: JSONValue, against rawSchema: JSONValue, at path: String, errors: inout [String]) {
        let schema = resolve(rawSchema)
        guard case let .object(s) = schema else { return }
        if case let .object(raw) = rawSchema, raw["$ref"] != nil {
            // Siblings of $ref (such as a description) add no constraints in our schemas.
        }
        if let type = s["type"] {
            let types: [String]
            switch type {
            case let .string(one): types = [one]
            case let .array(many): types = many.compactMap { if case let .string(t) = $0 { t } else { nil } }
            default: types = []
            }
            if !types.contains(where: { matches(value, type: $0) }) {
                errors.append("\(path): expected \(types.joined(separator: "|")), got \(value.kind)")
                return
            }
        }
        if let constant = s["const"], constant != value { errors.append("\(path): expected const \(constant)") }
        if case let .array(options)? = s["enum"], !options.contains(value) { errors.append("\(path): \(value) not in enum") }
        if case let .number(number) = value {
            if case let .number(minimum)? = s["minimum"], number < minimum { errors.append("\(path): below minimum") }
            if case let .number(maximum)? = s["maximum"], number > maximum { errors.append("\(path): above maximum") }
            if case let .number(bound)? = s["exclusiveMinimum"], number <= bound { errors.append("\(path): not above exclusiveMinimum") }
        }
        if case let .string(text) = value {
            if case let .number(length)? = s["minLength"], Double(text.count) < length { errors.append("\(path): too short") }
            if case let .string(pattern)? = s["pattern"], !matches(text, pattern: pattern) { errors.append("\(path): does not match \(pattern)") }
        }
        if case let .array(alternatives)? = s["anyOf"] {
            let ok = alternatives.contains { alternative in
                var sub: [String] = []
                check(value, against: alternative, at: path, errors: &sub)
                return sub.isEmpty
            }
            if !ok { errors.append("\(path): matches no anyOf alternative") }
        }
        func passes(_ alternative: JSONValue) -> Bool {
            var sub: [String] = []
            check(value, against: alternative, at: path, errors: &sub)
            return sub.isEmpty
        }
        if case let .array(alternatives)? = s["oneOf"], alternatives.count(where: passes) != 1 {
            errors.append("\(path): matches \(alternatives.count(where: passes)) oneOf alternatives, not exactly 1")
        }
        if case let .array(all)? = s["allOf"] {
            for part in all { check(value, against: part, at: path, errors: &errors) }
        }
        if case let .array(items) = value, case let .number(minimum)? = s["minItems"], Double(items.count) < minimum {
            errors.append("\(path): fewer than \(Int(minimum)) items")
        }
        if case let .object(members) = value {
            if case let .number(minimum)? = s["minProperties"], Double(members.count) < minimum { errors.append("\(path): too few members") }
            if case let .number(maximum)? = s["maxProperties"], Double(members.count) > maximum { errors.append("\(path): too many members") }
            if case let .object(dependent)? = s["dependentSchemas"] {
                for (key, schema) in dependent where members[key] != nil { check(value, against: schema, at: path, errors: &errors) }
            }
            if case let .array(required)? = s["required"] {
                for case let .string(key) in required where members[key] == nil { errors.append("\(path): missing \(key)") }
            }
            let properties: [String: JSONValue]
            if case let .object(p)? = s["properties"] { properties = p } else { properties = [:] }
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                if let names = s["propertyNames"] { check(.string(key), against: names, at: "\(path).\(key) (name)", errors: &errors) }
                if let property = properties[key] {
                    check(member, against: property, at: "\(path).\(key)", errors: &errors)
                } else if let additional = s["additionalProperties"] {
                    if additional == .bool(false) { errors.append("\(path): unexpected member \(key)") }
                    else { check(member, against: additional, at: "\(path).\(key)", errors: &errors) }
                }
            }
        }
        if case let .array(items) = value, let itemSchema = s["items"] {
            for (index, item) in items.enumerated() { check(item, against: itemSchema, at: "\(path)[\(index)]", errors: &errors) }
        }
    }

    func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("number", .number): true
        case let ("integer", .number(n)): n == n.rounded()
        default: false
        }
    }

    func matches(_ text: String, pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

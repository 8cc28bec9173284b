/// The options and positionals of one successfully parsed command line.
///
/// Options are looked up by any of their names (`"--port"` or `"-p"`). Options of every command
/// on the path are available, so a root option may be given before or after the subcommand.
/// Asking for a name that no command on the path declares is a programming error: it asserts in
/// debug builds and reads as absent in release builds.
package struct ParsedArguments: Sendable {
    /// One option as it appeared: the spelling used (for messages) and its value (nil for flags).
    struct Occurrence: Sendable {
        let name: String
        let value: String?
    }

    /// The command path, e.g. `["randwire", "check"]`.
    package let command: [String]
    /// The positional arguments of the leaf command, in order.
    package let positionals: [String]

    let options: [OptionSpec]
    let slots: [String: Int]
    let occurrences: [[Occurrence]]
    let positionalSpecs: [PositionalSpec]

    init(
        command: [String], positionals: [String], options: [OptionSpec], slots: [String: Int],
        occurrences: [[Occurrence]], positionalSpecs: [PositionalSpec]
    ) {
        self.command = command
        self.positionals = positionals
        self.options = options
        self.slots = slots
        self.occurrences = occurrences
        self.positionalSpecs = positionalSpecs
    }

    /// Whether the option `name` (e.g. `"--json"`) was given at least once.
    package func flag(_ name: String) -> Bool {
        guard let slot = slot(name) else { return false }
        return !occurrences[slot].isEmpty
    }

    /// How many times the option `name` was given (e.g. `-v -v`).
    package func count(_ name: String) -> Int {
        guard let slot = slot(name) else { return 0 }
        return occurrences[slot].count
    }

    /// The value of the last occurrence of `name`, or the spec's default when it is absent.
    /// A non-repeatable option given twice is not an error: the last one wins.
    package func value(_ name: String) -> String? {
        guard let slot = slot(name) else { return nil }
        return occurrences[slot].last?.value ?? options[slot].defaultValue
    }

    /// The values of every occurrence of `name`, in order; empty when it is absent (the default
    /// does not apply, so a repeatable option starts from nothing).
    package func values(_ name: String) -> [String] {
        guard let slot = slot(name) else { return [] }
        return occurrences[slot].compactMap(\.value)
    }

    /// Every occurrence's value split on commas and trimmed, empty items dropped: `--ports 1,2
    /// --ports 3` gives `["1", "2", "3"]`. Falls back to the default when the option is absent.
    package func list(_ name: String) -> [String] {
        guard let slot = slot(name) else { return [] }
        let raw = occurrences[slot].isEmpty ? options[slot].defaultValue.map { [$0] } ?? [] : values(name)
        return raw.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map { trimmed($0) }
            .filter { !$0.isEmpty }
    }

    /// The value of `name` as an integer, or nil when absent with no default.
    ///
    /// - Throws: ``UsageError`` naming the option when the value is not an integer or lies
    ///   outside `range`.
    package func int(_ name: String, in range: ClosedRange<Int>? = nil) throws(UsageError) -> Int? {
        guard let (raw, synopsis) = rawValue(name) else { return nil }
        let expected = range.map { "an integer in \($0.lowerBound)...\($0.upperBound)" } ?? "an integer"
        guard let number = Int(raw), range?.contains(number) ?? true else {
            throw .invalidValue(raw, for: synopsis, expected: expected)
        }
        return number
    }

    /// The value of `name` as a finite number, or nil when absent with no default.
    ///
    /// - Throws: ``UsageError`` naming the option when the value is not a finite number or lies
    ///   outside `range`.
    package func double(_ name: String, in range: ClosedRange<Double>? = nil) throws(UsageError) -> Double? {
        guard let (raw, synopsis) = rawValue(name) else { return nil }
        let expected = range.map { "a number in \($0.lowerBound)...\($0.upperBound)" } ?? "a number"
        guard let number = Double(raw), number.isFinite, range?.contains(number) ?? true else {
            throw .invalidValue(raw, for: synopsis, expected: expected)
        }
        return number
    }

    /// The value of `name` as one of `type`'s cases, or nil when absent with no default.
    ///
    /// - Throws: ``UsageError`` listing the valid values when the value matches no case.
    package func choice<T: RawRepresentable & CaseIterable>(
        _ name: String, as type: T.Type
    ) throws(UsageError) -> T? where T.RawValue == String {
        guard let (raw, synopsis) = rawValue(name) else { return nil }
        guard let value = T(rawValue: raw) else {
            let valid = T.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw .invalidValue(raw, for: synopsis, expected: "one of \(valid)")
        }
        return value
    }

    /// The value bound to the positional called `name` (without angle brackets); for a variadic
    /// positional, its first value.
    package func positional(_ name: String) -> String? {
        positionalValues(name).first
    }

    /// Every value bound to the positional called `name`; for a non-variadic one, at most one.
    package func positionalValues(_ name: String) -> [String] {
        let name = OptionSpec.strippingAngleBrackets(name)
        var remaining = positionals[...]
        for spec in positionalSpecs {
            if spec.isVariadic {
                if spec.name == name { return Array(remaining) }
                remaining = []
            } else {
                let taken = remaining.prefix(1)
                remaining = remaining.dropFirst()
                if spec.name == name { return Array(taken) }
            }
        }
        assertionFailure("no positional named '\(name)' in \(command.joined(separator: " "))")
        return []
    }

    /// The raw value and the `--name <value>` synopsis that messages about it should use.
    private func rawValue(_ name: String) -> (String, String)? {
        guard let slot = slot(name) else { return nil }
        let spec = options[slot]
        if let last = occurrences[slot].last, let value = last.value {
            return (value, spec.synopsis(as: last.name))
        }
        return spec.defaultValue.map { ($0, spec.synopsis(as: spec.preferredName)) }
    }

    private func slot(_ name: String) -> Int? {
        guard let slot = slots[name] else {
            assertionFailure("no option named '\(name)' in \(command.joined(separator: " "))")
            return nil
        }
        return slot
    }

    private func trimmed(_ text: Substring) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = text.firstIndex(where: { !isSpace($0) }),
            let end = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(text[start...end])
    }
}

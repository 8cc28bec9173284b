import RandWireProtocol

/// The roster's fourth column: a profile's parameters with the names of `randwire check`'s
/// flags, `key=value` pairs separated by `;`:
///
///     min=1;max=100          count=5          tokens=even= PAR ,odd= ÍMPAR ;too-long=same-length
///
/// A `;` separates pairs only when a known key and `=` follow it, so a token may contain `;`.
/// Token words are taken verbatim, spaces included (seed 004 answers " PAR "); numbers and
/// modes are trimmed.
package enum RosterOptions {
    package static let keys = ["min", "max", "count", "tokens", "too-long", "dir", "kind", "input", "expect-output", "loop", "request"]

    package static func parameters(_ text: String, profile: Profile) throws(ParameterError) -> ProfileParameters {
        var parameters = ProfileParameters(profile: profile)
        var given: Set<String> = []
        for (key, value) in try pairs(text) {
            guard given.insert(key).inserted else { throw ParameterError("'\(key)' is given twice") }
            switch key {
            case "min", "max", "count":
                guard profile.isRandom else { throw ParameterError("\(key) applies to the bare, csv and request profiles only") }
                let trimmed = value.trimmingSpaces()
                guard let number = Int(trimmed), abs(number) <= ProfileParameters.boundLimit else {
                    throw ParameterError("\(key) must be an integer within ±10^15, got '\(value)'")
                }
                switch key {
                case "min": parameters.min = number
                case "max": parameters.max = number
                default:
                    guard profile == .csv else { throw ParameterError("count applies to the csv profile only") }
                    parameters.count = number
                }
            case "dir", "input", "expect-output", "request":
                continue  // read by `folder(_:)` and `value(_:in:)`
            case "kind":
                guard ["server", "client"].contains(value.trimmingSpaces()) else {
                    throw ParameterError("kind must be server or client, got '\(value)'")
                }
            case "loop":
                guard ["yes", "no"].contains(value.trimmingSpaces()) else {
                    throw ParameterError("loop must be yes or no, got '\(value)'")
                }
            case "tokens":
                guard profile == .parity || profile == .double else { throw ParameterError("tokens applies to the parity and double profiles only") }
                parameters.tokens = try Tokens.parse(value)
            default:  // too-long
                guard profile == .parity else { throw ParameterError("too-long applies to the parity profile only") }
                guard let mode = TooLongMode(rawValue: value.trimmingSpaces()) else {
                    throw ParameterError("too-long must be token or same-length, got '\(value)'")
                }
                parameters.tooLongMode = mode
            }
        }
        try parameters.validate()
        return parameters
    }

    /// `dir=PATH`: the student's folder, copied into a working folder of its own and mounted
    /// writable there (the usual layout is `submissions/STUDENT/`).
    package static func folder(_ text: String) -> String? {
        (try? pairs(text))?.first { $0.0 == "dir" }.map { $0.1.trimmingSpaces() }
    }

    /// The value of `key` in an options column, if given.
    package static func value(_ key: String, in text: String) -> String? {
        (try? pairs(text))?.first { $0.0 == key }.map(\.1)
    }

    /// `kind=client`: the row's command is a client program, judged by `check-client`.
    package static func isClient(_ text: String) -> Bool {
        value("kind", in: text)?.trimmingSpaces() == "client"
    }

    /// `key=value` pairs in order; spaces around keys are allowed.
    static func pairs(_ text: String) throws(ParameterError) -> [(String, String)] {
        guard !text.trimmingSpaces().isEmpty else { return [] }
        var pairs: [(String, String)] = []
        var rest = Substring(text)
        while true {
            guard let (key, value) = keyAt(rest) else {
                let shown = String(rest.prefix { $0 != "=" && $0 != ";" }).trimmingSpaces()
                throw ParameterError("unknown option '\(shown)': expected \(keys.joined(separator: ", ")) as key=value, separated by ';'")
            }
            rest = value
            // The value runs to the next ';' that a known key follows.
            var end = rest.endIndex
            var search = rest.startIndex
            while let semicolon = rest[search...].firstIndex(of: ";") {
                let after = rest[rest.index(after: semicolon)...]
                if keyAt(after) != nil || after.allSatisfy({ $0 == " " || $0 == "\t" }) {
                    end = semicolon
                    break
                }
                search = rest.index(after: semicolon)
            }
            pairs.append((key, String(rest[..<end])))
            if end == rest.endIndex { return pairs }
            rest = rest[rest.index(after: end)...]
            if rest.allSatisfy({ $0 == " " || $0 == "\t" }) { return pairs }  // a trailing ';'
        }
    }

    /// The known key `text` starts with (after spaces), and the text after its `=`.
    static func keyAt(_ text: Substring) -> (String, Substring)? {
        let start = text.drop { $0 == " " || $0 == "\t" }
        for key in keys where start.hasPrefix(key) {
            let afterKey = start.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }
            if afterKey.first == "=" { return (key, afterKey.dropFirst()) }
        }
        return nil
    }
}

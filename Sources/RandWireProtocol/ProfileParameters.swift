/// How a parity server answers a number with more than ten digits (PARITY-2).
public enum TooLongMode: String, Sendable, Codable, CaseIterable {
    /// The fixed too-long token.
    case token
    /// Any string exactly as long (in bytes) as the request, as seed 004's assignment asked.
    case sameLength = "same-length"
}

/// The words a parity or double server answers with (PARITY-5). An assignment that uses other
/// words is judged by passing them here, never by changing the spec.
public struct Tokens: Sendable, Hashable, Codable {
    public var even: String
    public var odd: String
    public var tooLong: String
    public var error: String

    public static let canonical = Tokens(even: "even", odd: "odd", tooLong: "too-long", error: "error")

    public init(even: String, odd: String, tooLong: String, error: String) {
        self.even = even
        self.odd = odd
        self.tooLong = tooLong
        self.error = error
    }

    /// Parses `even=W,odd=W,too-long=W,error=W` (any subset, in any order) over `base`.
    /// A word may not contain ',' '=' LF or NUL; quote-free so shells pass it unchanged.
    public static func parse(_ text: String, over base: Tokens = .canonical) throws(ParameterError) -> Tokens {
        var result = base
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let eq = item.firstIndex(of: "=") else {
                throw ParameterError("token assignment '\(item)' has no '=': use even=W,odd=W,too-long=W,error=W")
            }
            let key = String(item[item.startIndex..<eq])
            let word = String(item[item.index(after: eq)...])
            guard !word.isEmpty else { throw ParameterError("token '\(key)' is empty") }
            guard !word.utf8.contains(where: { $0 == 0x0A || $0 == 0x00 || $0 == 0x0D }) else {
                throw ParameterError("token '\(key)' contains CR, LF or NUL")
            }
            guard word.utf8.count <= 64 else { throw ParameterError("token '\(key)' is longer than 64 bytes") }
            switch key {
            case "even": result.even = word
            case "odd": result.odd = word
            case "too-long", "toolong", "too_long": result.tooLong = word
            case "error": result.error = word
            default:
                throw ParameterError("unknown token '\(key)': expected even, odd, too-long or error")
            }
        }
        let words = [result.even, result.odd, result.tooLong, result.error]
        guard Set(words).count == words.count else {
            throw ParameterError("tokens must be four different words, got \(words)")
        }
        return result
    }

    /// The `--tokens` form of these tokens.
    public var argument: String { "even=\(even),odd=\(odd),too-long=\(tooLong),error=\(error)" }
}

/// A parameter outside what the spec allows. `description` is one line for people.
public struct ParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The knobs of a profile: range, batch size, tokens. Validated so that every response fits
/// the 1024-byte cap (CORE-4).
public struct ProfileParameters: Sendable, Hashable, Codable {
    public var profile: Profile
    public var min: Int
    public var max: Int
    /// Numbers per batch (csv only).
    public var count: Int
    public var tokens: Tokens
    public var tooLongMode: TooLongMode

    /// The largest absolute bound, so a batch of `count` numbers always fits 1024 bytes and
    /// `max - min + 1` never overflows.
    public static let boundLimit = 1_000_000_000_000_000  // 10^15
    public static let countLimit = 100

    /// The spec's defaults for `profile` (section 6).
    public init(profile: Profile) {
        self.profile = profile
        self.tokens = .canonical
        self.tooLongMode = .token
        switch profile {
        case .bare: (min, max, count) = (10, 20, 1)
        case .csv: (min, max, count) = (1, 100, 10)
        case .request: (min, max, count) = (1, 10_000, 1)
        case .double, .parity: (min, max, count) = (0, 0, 1)
        }
    }

    public init(profile: Profile, min: Int, max: Int, count: Int, tokens: Tokens = .canonical, tooLongMode: TooLongMode = .token) throws(ParameterError) {
        self.profile = profile
        self.min = min
        self.max = max
        self.count = count
        self.tokens = tokens
        self.tooLongMode = tooLongMode
        try validate()
    }

    /// Throws the first rule the parameters break.
    public func validate() throws(ParameterError) {
        guard profile.isRandom else { return }
        guard min <= max else { throw ParameterError("--min \(min) is greater than --max \(max)") }
        // Compared without abs(): abs(Int.min) traps.
        guard min >= -Self.boundLimit, max <= Self.boundLimit else {
            throw ParameterError("range bounds must lie within ±10^15, got \(min)..\(max)")
        }
        guard count >= 1 else { throw ParameterError("--count must be at least 1, got \(count)") }
        guard count <= Self.countLimit else { throw ParameterError("--count must be at most \(Self.countLimit), got \(count)") }
        if profile != .csv && count != 1 {
            throw ParameterError("--count applies to the csv profile only")
        }
        let widest = Swift.max(String(min).utf8.count, String(max).utf8.count)
        let worst = count * widest + (count - 1)
        guard worst <= Limits.maxResponseBytes else {
            throw ParameterError("a batch of \(count) numbers up to \(widest) characters can reach \(worst) bytes, over the 1024-byte response cap")
        }
    }

    /// Number of distinct values a draw can take.
    public var rangeSize: UInt64 { UInt64(max - min) + 1 }
}

/// The parity verdict on a request (section 6.4).
public enum ParityVerdict: Sendable, Hashable {
    case even
    case odd
    case tooLong
    case error(String)

    /// Classifies a complete request; `end == .overCap` is always an error (PARITY-4).
    public static func classify(_ request: Request) -> ParityVerdict {
        if request.end == .overCap { return .error("the request is over the 1024-byte cap") }
        switch DecimalInteger.parse(request.content) {
        case let .failure(reason): return .error(reason.description)
        case let .success(number):
            if number.digitCount > Limits.parityMaxDigits { return .tooLong }
            return number.isEven ? .even : .odd
        }
    }
}

/// What a correct server must answer to one request: the basis of both the reference server's
/// answers and every client-side and runner-side judgement.
public enum ExpectedAnswer: Sendable, Hashable {
    /// Close without any byte (REQ-2).
    case nothing
    /// One number in the range (BARE-1, REQ-1).
    case number(min: Int, max: Int)
    /// `count` numbers in the range joined by commas (CSV-1, CSV-2).
    case batch(count: Int, min: Int, max: Int)
    /// These exact bytes (tokens, doubled values).
    case exact([UInt8])
    /// Any string of this many bytes with no LF (PARITY-2, same-length mode).
    case anyOfLength(Int)

    /// The answer the spec requires for `request` (nil for profiles where the client sends nothing).
    public static func forRequest(_ request: Request?, parameters: ProfileParameters) -> ExpectedAnswer {
        let p = parameters
        switch p.profile {
        case .bare: return .number(min: p.min, max: p.max)
        case .csv: return .batch(count: p.count, min: p.min, max: p.max)
        case .request: return request == nil ? .nothing : .number(min: p.min, max: p.max)
        case .parity:
            guard let request else { return .exact(Array(p.tokens.error.utf8)) }
            switch ParityVerdict.classify(request) {
            case .even: return .exact(Array(p.tokens.even.utf8))
            case .odd: return .exact(Array(p.tokens.odd.utf8))
            case .error: return .exact(Array(p.tokens.error.utf8))
            case .tooLong:
                switch p.tooLongMode {
                case .token: return .exact(Array(p.tokens.tooLong.utf8))
                case .sameLength: return .anyOfLength(request.content.count)
                }
            }
        case .double:
            guard let request, request.end != .overCap,
                case let .success(number) = DecimalInteger.parse(request.content)
            else { return .exact(Array(p.tokens.error.utf8)) }
            let doubled = Array(number.doubled().utf8)
            return doubled.count <= Limits.maxResponseBytes ? .exact(doubled) : .exact(Array(p.tokens.error.utf8))
        }
    }

    /// One line describing the answer, for reports: `a number in 10...20`.
    public var summary: String {
        switch self {
        case .nothing: "no bytes, then close"
        case let .number(min, max): "one number in \(min)...\(max)"
        case let .batch(count, min, max): "\(count) comma-separated numbers in \(min)...\(max)"
        case let .exact(bytes): ByteEscaping.escape(bytes)
        case let .anyOfLength(length): "any \(length)-byte string without LF"
        }
    }
}

/// Produces the reference server's response bytes. Generic over the generator so tests can seed it.
public enum ResponseEncoder {
    /// The bytes to send for `request` (nil: close without answering).
    public static func response<G: RandomNumberGenerator>(
        for request: Request?, parameters: ProfileParameters, using generator: inout G
    ) -> [UInt8]? {
        switch ExpectedAnswer.forRequest(request, parameters: parameters) {
        case .nothing: return nil
        case let .number(min, max):
            var out = [UInt8]()
            appendNumber(Int.random(in: min...max, using: &generator), to: &out)
            return out
        case let .batch(count, min, max):
            var out = [UInt8]()
            out.reserveCapacity(count * 4)
            for index in 0..<count {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendNumber(Int.random(in: min...max, using: &generator), to: &out)
            }
            return out
        case let .exact(bytes): return bytes
        case let .anyOfLength(length):
            let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
            return (0..<length).map { _ in letters.randomElement(using: &generator)! }
        }
    }

    /// Appends `value` in canonical decimal (CORE-10) without building a String.
    public static func appendNumber(_ value: Int, to out: inout [UInt8]) {
        if value == 0 {
            out.append(0x30)
            return
        }
        var magnitude = value.magnitude
        var scratch: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var length = 0
        withUnsafeMutableBytes(of: &scratch) { buffer in
            while magnitude > 0 {
                buffer[length] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
                length += 1
            }
            if value < 0 { out.append(UInt8(ascii: "-")) }
            for index in stride(from: length - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }
}

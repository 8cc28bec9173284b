import RandWireProtocol

/// Decides whether an answer is acceptable. `ResponseJudge` is the arbiter; a fast path, which
/// never allocates, accepts the common well-formed answers (canonical numbers in range, the
/// exact expected bytes) and sends everything else to the judge, so the verdicts are the
/// judge's while the hot path stays as cheap as loadgen's check.
struct AnswerValidator: Sendable {
    let expected: ExpectedAnswer
    let requirement: String
    // Fast-path bounds, copied out of `expected`.
    private let kind: Kind
    private let minimum: Int
    private let maximum: Int
    private let fields: Int
    private let exact: [UInt8]

    private enum Kind { case number, batch, exact, judgeOnly }

    init(parameters: ProfileParameters, request: [UInt8]?) {
        let framed = Self.frame(request)
        expected = ExpectedAnswer.forRequest(framed, parameters: parameters)
        requirement = ResponseJudge.governingRequirement(for: framed, parameters: parameters)
        switch expected {
        case let .number(min, max): (kind, minimum, maximum, fields, exact) = (.number, min, max, 1, [])
        case let .batch(count, min, max): (kind, minimum, maximum, fields, exact) = (.batch, min, max, count, [])
        case let .exact(bytes): (kind, minimum, maximum, fields, exact) = (.exact, 0, 0, 0, bytes)
        case .nothing, .anyOfLength: (kind, minimum, maximum, fields, exact) = (.judgeOnly, 0, 0, 0, [])
        }
    }

    /// The request as the server will frame it: up to the first LF, else at half-close/quiet
    /// (the bench never half-closes, so an unterminated request ends on the server's quiet time).
    static func frame(_ bytes: [UInt8]?) -> Request? {
        guard let bytes else { return nil }
        var accumulator = RequestAccumulator()
        accumulator.append(bytes)
        if case let .complete(request) = accumulator.state { return request }
        switch accumulator.finishAtQuiet() {
        case let .complete(request): return request
        default: return nil  // empty request: the client sends nothing, as a half-close would
        }
    }

    /// True when the answer is acceptable (no MUST-level finding).
    @inline(__always)
    func isAcceptable(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if fastAccept(bytes) { return true }
        return judge(bytes).isAcceptable
    }

    func judge(_ bytes: UnsafeRawBufferPointer) -> ResponseJudgement {
        ResponseJudge.judge(Array(bytes), expected: expected, requirement: requirement)
    }

    /// Accepts only answers the judge is certain to accept; false means "ask the judge".
    private func fastAccept(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var end = bytes.count
        // A trailing LF or CRLF is only a SHOULD finding (CORE-6).
        if end > 0 && bytes[end - 1] == 0x0A {
            end -= 1
            if end > 0 && bytes[end - 1] == 0x0D { end -= 1 }
        }
        switch kind {
        case .judgeOnly: return false
        case .exact:
            guard end == exact.count else { return false }
            for index in 0..<end where bytes[index] != exact[index] { return false }
            return true
        case .number, .batch:
            var index = 0
            var seen = 0
            while true {
                guard let (value, next) = Self.canonicalNumber(bytes, from: index, to: end),
                    value >= minimum, value <= maximum
                else { return false }
                seen += 1
                index = next
                if index == end { break }
                guard kind == .batch, bytes[index] == UInt8(ascii: ",") else { return false }
                index += 1
            }
            return seen == fields
        }
    }

    /// A canonical decimal (CORE-10) of at most 18 digits starting at `from`, and where it ends.
    @inline(__always)
    private static func canonicalNumber(_ bytes: UnsafeRawBufferPointer, from: Int, to end: Int) -> (Int, Int)? {
        var index = from
        var negative = false
        if index < end && bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var magnitude = 0
        while index < end, bytes[index] &- 0x30 < 10 {
            guard index - start < 18 else { return nil }
            magnitude = magnitude * 10 + Int(bytes[index] &- 0x30)
            index += 1
        }
        let digits = index - start
        guard digits > 0 else { return nil }
        if digits > 1 && bytes[start] == 0x30 { return nil }  // leading zero
        if negative && magnitude == 0 { return nil }  // "-0"
        return (negative ? -magnitude : magnitude, index)
    }
}

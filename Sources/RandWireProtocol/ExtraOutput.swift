/// Recognises a right answer wrapped in something else: two answers on one connection (CORE-2),
/// an echo of the request or a banner, prompt or log line around the answer (CORE-8). Charging
/// those to the profile's grammar would name the symptom, not the fault.
enum ExtraOutput {
    struct Explanation {
        /// The answer found inside the response.
        let answer: [UInt8]
        let finding: Finding
    }

    /// Responses longer than this are not searched for an answer inside (the search is quadratic).
    static let searchLimit = 256

    static func explain(_ payload: [UInt8], request: Request?, accepts: ([UInt8]) -> Bool) -> Explanation? {
        guard payload.count <= searchLimit else { return nil }
        // The echo first: `"0\n0"` for the request `0` is its echo and its answer, not two answers.
        if let echo = echo(payload, request: request, accepts: accepts) { return echo }
        if let answers = multipleAnswers(payload, accepts: accepts) { return answers }
        return surrounded(payload, accepts: accepts)
    }

    static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ":"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "|"): true
        default: false
        }
    }

    /// `"-2\n2\n"`: every line alone is a valid answer.
    static func multipleAnswers(_ payload: [UInt8], accepts: ([UInt8]) -> Bool) -> Explanation? {
        let lines = payload.split(separator: 0x0A).map { Array($0.last == 0x0D ? $0.dropLast() : $0) }.filter { !$0.isEmpty }
        guard lines.count >= 2, lines.allSatisfy(accepts) else { return nil }
        return Explanation(answer: lines[0], finding: Finding(
            "CORE-2", "\(lines.count) answers on one connection (\(ByteEscaping.escape(payload))): one exchange gets one response",
            fault: "multiple-answers"))
    }

    /// The request's own bytes, then the answer.
    static func echo(_ payload: [UInt8], request: Request?, accepts: ([UInt8]) -> Bool) -> Explanation? {
        guard let content = request?.content, !content.isEmpty, payload.count > content.count, payload.starts(with: content) else { return nil }
        let rest = Array(payload.dropFirst(content.count).drop(while: isSeparator))
        guard !rest.isEmpty, accepts(rest) else { return nil }
        return Explanation(answer: rest, finding: Finding(
            "CORE-8", "the response echoes the request (\(ByteEscaping.escape(content))) before the answer \(ByteEscaping.escape(rest))",
            fault: "echo"))
    }

    /// `"Welcome! 42"`, `"42 (have a nice day)"`: the longest valid answer that starts or ends
    /// at a separator, with words beside it.
    static func surrounded(_ payload: [UInt8], accepts: ([UInt8]) -> Bool) -> Explanation? {
        var best: (answer: ArraySlice<UInt8>, extraBefore: ArraySlice<UInt8>, extraAfter: ArraySlice<UInt8>)?
        for cut in 1..<max(1, payload.count) where isSeparator(payload[cut - 1]) || isSeparator(payload[cut]) {
            for (answer, before, after) in [(payload[cut...], payload[..<cut], payload[payload.count...]),
                                            (payload[..<cut], payload[payload.count...], payload[cut...])] {
                guard answer.count > (best?.answer.count ?? 0), hasWords(before + after), accepts(Array(answer)) else { continue }
                best = (answer, before, after)
            }
        }
        guard let best else { return nil }
        let extra = best.extraBefore.isEmpty ? best.extraAfter : best.extraBefore
        let place = best.extraBefore.isEmpty ? "after" : "before"
        return Explanation(answer: Array(best.answer), finding: Finding(
            "CORE-8", "the response carries text besides the answer: \(ByteEscaping.escape(extra)) \(place) \(ByteEscaping.escape(best.answer)) (a banner, prompt or log line)",
            fault: "extra-output:" + FaultShape.normalized(extra)))
    }

    /// Letters (or any non-ASCII): words, not stray digits, signs or commas.
    static func hasWords(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.contains { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 >= 0x80 }
    }
}

/// The shape of a malformed answer, for telling one fault seen twice from two faults.
public enum FaultShape {
    static func of(_ problem: ResponseJudge.NumberProblem, _ bytes: some Collection<UInt8>) -> String {
        (problem.canonicalOnly ? "non-canonical:" : "grammar:") + normalized(bytes)
    }

    /// Digits folded to `#`, so `"Number: 15"` and `"Number: 7"` have one shape.
    public static func normalized(_ bytes: some Collection<UInt8>) -> String {
        var folded: [UInt8] = []
        for byte in bytes.prefix(64) {
            let mapped = (0x30...0x39).contains(byte) ? UInt8(ascii: "#") : byte
            if mapped == UInt8(ascii: "#"), folded.last == mapped { continue }
            folded.append(mapped)
        }
        return ByteEscaping.escape(folded, limit: 40)
    }
}

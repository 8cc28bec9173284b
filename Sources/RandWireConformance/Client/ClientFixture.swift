import RandWireProtocol

/// One scripted server behaviour from `Fixtures/clients/` (format: `Fixtures/README.md`, schema:
/// `Fixtures/client-fixture.schema.json`): what the harness does on the client's connection
/// once its request has been read, and what a conformant client does about it.
package struct ClientFixture: Sendable {
    /// Octets the harness writes: a text with placeholders (`{answer}`, …) repeated `count`
    /// times, or raw bytes.
    package enum Payload: Sendable, Hashable {
        case template(String, repeat: Int)
        case bytes([UInt8])
    }

    package enum Step: Sendable, Hashable {
        case send(Payload)
        /// The payload cut into up to `pieces` non-empty pieces, written `delay` apart (CLIENT-1).
        case sendPieces(Payload, pieces: Int, delayMilliseconds: Int)
        case wait(milliseconds: Int)
        /// The payload written again every interval while the connection is held (with
        /// `end: hold`): a response that never ends, so only the client's overall deadline
        /// stops it (LIMIT-3).
        case drip(Payload, everyMilliseconds: Int)
    }

    /// How the harness ends the connection after its steps.
    package enum End: String, Sendable, Hashable, CaseIterable {
        /// FIN, as every conformant server does (CORE-3).
        case close
        /// RST (SO_LINGER 0).
        case reset
        /// Kept open until the client closes it or the check's bound (seeds 001 and 003).
        case hold
    }

    /// What a conformant client does (section 10.1 of the spec).
    package enum Expectation: String, Sendable, Hashable, CaseIterable {
        /// Prints the answer and, when it makes one exchange, exits 0.
        case answer
        /// Does not print the response as its answer; a one-exchange program exits non-zero.
        case reject
        /// Finishes within the bound without an answer, exiting non-zero.
        case giveUp = "give-up"
        /// Prints the answer and finishes within `withinMilliseconds` of it, though the server
        /// never closes (CLIENT-2).
        case answerWithoutClose = "answer-without-close"
        /// The answer appears in its stdout or stderr, whatever its exit status (a reset, CLIENT-1).
        case reportAnswer = "report-answer"
    }

    /// ID, title, profiles, requirements, level and order, read as for server fixtures.
    package let header: FixtureHeader
    package var id: String { header.id }
    package var profiles: [Profile] { header.profiles }
    package var requirements: [String] { header.requirements }
    package var order: Int { header.order }
    package let steps: [Step]
    package let end: End
    package let expectation: Expectation
    /// For `answerWithoutClose`: how soon after the answer the client must have finished.
    package let withinMilliseconds: Int
    /// Texts whose printing as the answer means the client took a response it must reject; the
    /// response itself always counts.
    package let acceptedIf: [String]
    /// A check whose failure explains this one's when the client takes the response here too
    /// (the flood after the 1025-octet response): reported as its consequence (spec 10.1).
    package let echoOf: String?
    package let source: String

    package var definition: CheckDefinition {
        CheckDefinition(id: id, title: header.title, level: header.level, requirements: requirements, profiles: profiles, origin: source)
    }
}

/// The values a fixture's placeholders stand for in one exchange.
package struct ClientPlaceholders: Sendable {
    package let answer: String
    package let parameters: ProfileParameters

    package init(answer: String, parameters: ProfileParameters) {
        self.answer = answer
        self.parameters = parameters
    }

    /// The names a fixture may use, for the loader's error messages.
    package static let names = ["{answer}", "{out-of-range}", "{extra-number}", "{min}", "{max}"]

    package func substitute(_ text: String) -> String {
        guard text.contains("{") else { return text }
        return text
            .replacing("{answer}", with: answer)
            .replacing("{out-of-range}", with: outOfRange)
            .replacing("{extra-number}", with: extraNumber)
            .replacing("{min}", with: String(parameters.min))
            .replacing("{max}", with: String(parameters.max))
    }

    /// A well-formed answer with one number just above the range: the batch's first for csv.
    var outOfRange: String {
        let above = String(parameters.max + 1)
        guard parameters.profile == .csv else { return above }
        return ([above] + answer.split(separator: ",").dropFirst().map(String.init)).joined(separator: ",")
    }

    /// A csv batch one number longer than `count`.
    var extraNumber: String { answer + "," + String(parameters.min) }

    package func bytes(_ payload: ClientFixture.Payload) -> [UInt8] {
        switch payload {
        case let .bytes(bytes): return bytes
        case let .template(text, count):
            let unit = Array(substitute(text).utf8)
            return count == 1 ? unit : Array([[UInt8]](repeating: unit, count: count).joined())
        }
    }
}

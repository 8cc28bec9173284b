import RandWireProtocol

/// One declarative exchange from `Fixtures/` (format: `Fixtures/README.md`, schema:
/// `Fixtures/fixture.schema.json`). A fixture is the suite's data: a connection, the steps the
/// client takes, and what the spec requires back.
package struct Fixture: Sendable, Hashable {
    package enum Step: Sendable, Hashable {
        /// One write.
        case send([UInt8])
        /// Several writes with a pause between them (FRAME-4).
        case sendChunks([[UInt8]], delayMilliseconds: Int)
        /// shutdown(SHUT_WR): the request ends at EOF (FRAME-2).
        case halfClose
        case wait(milliseconds: Int)
        /// Wait, and fail if the server sends anything meanwhile (FRAME-5).
        case expectSilence(milliseconds: Int)
        /// Close with RST (SO_LINGER 0) and stop: nothing is read.
        case reset
    }

    package enum ExpectedResponse: Sendable, Hashable {
        /// Whatever the spec requires for the request the steps sent (computed by the core).
        case spec
        /// A named token of the profile's parameters: even, odd, too-long, error.
        case token(String)
        case exact([UInt8])
        case number(min: Int?, max: Int?)
        /// The server closes without a byte (REQ-2).
        case nothing
        /// Anything, or nothing: only the aftermath is judged (robustness cases).
        case any
    }

    package let id: String
    package let title: String
    package let profiles: [Profile]
    package let requirements: [String]
    package let level: RequirementLevel
    /// Destructive fixtures run after every other check: a fragile server may die on them.
    package let destructive: Bool
    /// Run order within its group (lower first), then by id.
    package let order: Int
    package let steps: [Step]
    package let response: ExpectedResponse
    /// The server must have answered within this time of the last step (default: the run's timeout).
    package let answerWithinMilliseconds: Int?
    /// After this exchange a normal exchange must still succeed (ROBUST-1).
    package let thenServes: Bool
    /// Where it was loaded from, for error messages and `--list`.
    package let source: String

    package var definition: CheckDefinition {
        CheckDefinition(id: id, title: title, level: level, requirements: requirements, profiles: profiles, origin: source)
    }

    /// The request goes in several writes (FRAME-4).
    package var sendsPieces: Bool {
        steps.contains { if case .sendChunks = $0 { true } else { false } }
    }

    /// The request the steps form, as a server following section 5 would frame it.
    /// nil when no request was sent and the connection was half-closed or nothing was sent.
    package var framedRequest: Request? {
        var accumulator = RequestAccumulator()
        var halfClosed = false
        for step in steps {
            switch step {
            case let .send(bytes): accumulator.append(bytes)
            case let .sendChunks(chunks, _): for chunk in chunks { accumulator.append(chunk) }
            case .halfClose: halfClosed = true
            case .wait, .expectSilence, .reset: break
            }
            if case .complete = accumulator.state { break }
        }
        switch accumulator.state {
        case let .complete(request): return request
        case .emptyAtEOF: return nil
        case .incomplete:
            if halfClosed { accumulator.finishAtEOF() } else { accumulator.finishAtQuiet() }
            if case let .complete(request) = accumulator.state { return request }
            return nil
        }
    }

    /// The expectation resolved against the run's parameters.
    package func expectedAnswer(parameters: ProfileParameters) -> ExpectedAnswer? {
        switch response {
        case .spec: return ExpectedAnswer.forRequest(framedRequest, parameters: parameters)
        case let .token(name):
            let tokens = parameters.tokens
            switch name {
            case "even": return .exact(Array(tokens.even.utf8))
            case "odd": return .exact(Array(tokens.odd.utf8))
            case "error": return .exact(Array(tokens.error.utf8))
            case "too-long":
                if parameters.tooLongMode == .sameLength, let request = framedRequest {
                    return .anyOfLength(request.content.count)
                }
                return .exact(Array(tokens.tooLong.utf8))
            default: return nil
            }
        case let .exact(bytes): return .exact(bytes)
        case let .number(min, max): return .number(min: min ?? parameters.min, max: max ?? parameters.max)
        case .nothing: return .nothing
        case .any: return nil
        }
    }

    /// The requirement a wrong answer is charged to: the fixture's first profile requirement,
    /// else its first requirement.
    /// The fixture sends part of its request before it first listens for silence: bytes heard
    /// then answer that part (FRAME-4), not an unprompted greeting (FRAME-5).
    /// The first piece of the fixture's first split write.
    var firstChunk: [UInt8] {
        for step in steps { if case let .sendChunks(chunks, _) = step { return chunks.first ?? [] } }
        return []
    }

    /// What the fixture has written when it first listens for silence.
    var bytesBeforeFirstSilence: [UInt8] {
        guard let silence = steps.firstIndex(where: { if case .expectSilence = $0 { true } else { false } }) else { return [] }
        return steps[..<silence].flatMap { step -> [UInt8] in
            switch step {
            case let .send(bytes): bytes
            case let .sendChunks(chunks, _): chunks.flatMap { $0 }
            default: []
            }
        }
    }

    /// The request ends only by the server's quiet time (FRAME-3): its last step is a write
    /// without LF, with no half-close after it.
    var endsOnQuietTime: Bool {
        guard requirements.contains("FRAME-3") else { return false }
        switch steps.last {
        case let .send(bytes): return !bytes.contains(0x0A)
        case let .sendChunks(chunks, _): return !(chunks.last ?? []).contains(0x0A)
        default: return false
        }
    }

    package func answerRequirement(parameters: ProfileParameters) -> String {
        let profilePrefixes = ["BARE", "CSV", "REQ", "PARITY", "DOUBLE"]
        if let own = requirements.first(where: { id in profilePrefixes.contains { id.hasPrefix($0 + "-") } }) {
            return own
        }
        // A framing or lifecycle case: a wrong answer there is a framing fault.
        return requirements.first ?? ResponseJudge.governingRequirement(for: framedRequest, parameters: parameters)
    }
}

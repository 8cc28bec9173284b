import RandWireProtocol
import RandWireSocket

extension ConformanceRunner {
    /// The longest wait after an unterminated request's last byte that is not yet a FRAME-3
    /// fault: the spec's 200 ms plus 100 ms for scheduling and loopback noise.
    static let quietTimeAllowance = Limits.requestQuietRangeMilliseconds.upperBound + 100

    /// Early bytes are one fault wherever the same bytes show up early: a greeting heard while
    /// a request is still arriving is the greeting, not an answer to part of it.
    static func earlyFault(_ bytes: [UInt8]) -> String { "early:" + FaultShape.normalized(bytes) }

    /// Bytes heard before the request was complete: an answer to the part already sent is
    /// FRAME-4 (the request was not assembled); anything else answers nothing and is FRAME-5
    /// (the server spoke unprompted: a greeting, a prompt).
    func earlyBytesFinding(_ early: [UInt8], afterSending partial: [UInt8]) -> Finding {
        let partialRequest = Request(content: partial, end: .quiet)
        let judged = ResponseJudge.judge(early, request: partialRequest, parameters: parameters)
        // An answer to the part sent, even wrapped in the server's usual echo or banner.
        let answersPart = judged.isAcceptable || (judged.value != nil && judged.findings.allSatisfy { $0.level != .must || $0.requirement == "CORE-8" || $0.requirement == "CORE-2" })
        if !partial.isEmpty, answersPart {
            return Finding("FRAME-4", "the server answered \(ByteEscaping.escape(early)) to the first part of the request (\(ByteEscaping.escape(partial))), before the rest arrived: it did not assemble the request", fault: Self.earlyFault(early))
        }
        return Finding("FRAME-5", "the server sent \(ByteEscaping.escape(early)) before the request was complete, and it answers nothing that was sent", fault: Self.earlyFault(early))
    }

    /// How long after its last byte an unterminated request was answered, when that is past
    /// the allowance.
    static func quietTimeOverrun(_ outcome: ExchangeOutcome) -> Double? {
        let events = outcome.transcript.events
        guard let lastSend = events.lastIndex(where: { $0.kind == .sent }),
              let answer = events[lastSend...].first(where: { $0.kind == .received }) else { return nil }
        let delay = answer.atMilliseconds - events[lastSend].atMilliseconds
        return delay > Double(quietTimeAllowance) ? delay : nil
    }

    func orderedFixtures(destructive: Bool) -> [Fixture] {
        catalog.fixtures.filter { $0.destructive == destructive }.sorted { ($0.order, $0.id) < ($1.order, $1.id) }
    }

    /// Whether a run of a fixture sent in pieces caught the server answering a piece: bytes
    /// while the request was still arriving (with the pieces sent on time), or a wrong answer.
    static func showsPiecewiseFault(_ outcome: ExchangeOutcome, expected: ExpectedAnswer?, fixture: Fixture,
                                    parameters: ProfileParameters) -> Bool {
        if !(outcome.spokeEarly + outcome.answeredEarly).isEmpty {
            return outcome.longestSendGap < .milliseconds(Limits.requestQuietRangeMilliseconds.lowerBound)
        }
        guard let expected, !outcome.response.isEmpty else { return false }
        let judgement = ResponseJudge.judge(outcome.response, expected: expected, requirement: fixture.answerRequirement(parameters: parameters),
                                            request: fixture.framedRequest)
        return judgement.findings.contains { $0.level == .must }
    }

    func runFixture(_ fixture: Fixture) {
        let definition = fixture.definition
        guard ledger.mayRun(definition) else { return }
        announce(definition)
        let answerTiming = fixture.answerWithinMilliseconds.map(timing.answering(within:)) ?? timing.current
        let expected = fixture.expectedAnswer(parameters: parameters)
        let readResponse = !fixture.steps.contains(.reset)
        var outcome = ScriptedExchange.run(fixture.steps, readResponse: readResponse, target: target, timing: answerTiming)
        // An early answer after a pause the checker itself stretched past 20 ms proves nothing:
        // retry, and if the machine stays too busy to send on time, do not judge.
        var attempts = 1
        while outcome.connected, !(outcome.spokeEarly + outcome.answeredEarly).isEmpty,
              outcome.longestSendGap >= .milliseconds(Limits.requestQuietRangeMilliseconds.lowerBound) {
            guard attempts < 3 else {
                ledger.recordCheckerLimited(definition, "not judged: the checker could not send the request's pieces within 20 ms of each other (longest pause \(Int(outcome.longestSendGap.inMilliseconds)) ms); the machine is too busy")
                return
            }
            attempts += 1
            outcome = ScriptedExchange.run(fixture.steps, readResponse: readResponse, target: target, timing: answerTiming)
        }
        // A request in pieces shows a per-read server only when the server reads between the
        // pieces; on a busy machine both may be waiting by the time it reads. A clean run of
        // such a fixture is tried twice more, and a run that shows the fault is the one judged.
        if fixture.sendsPieces, outcome.connected, !Self.showsPiecewiseFault(outcome, expected: expected, fixture: fixture, parameters: parameters) {
            for _ in 0..<2 {
                let again = ScriptedExchange.run(fixture.steps, readResponse: readResponse, target: target, timing: answerTiming)
                guard again.connected else { break }
                if Self.showsPiecewiseFault(again, expected: expected, fixture: fixture, parameters: parameters) {
                    outcome = again
                    break
                }
            }
        }
        // FRAME-3's upper bound: a slow answer is tried once more before it counts, so one
        // scheduling hiccup on a loaded machine is not a fault.
        var slowQuietTime = fixture.endsOnQuietTime ? Self.quietTimeOverrun(outcome) : nil
        if slowQuietTime != nil {
            let second = ScriptedExchange.run(fixture.steps, readResponse: readResponse, target: target, timing: answerTiming)
            if second.connected {
                outcome = second
                slowQuietTime = Self.quietTimeOverrun(second)
            }
        }
        if outcome.connectError != nil, reviveAfterRefusal(during: definition.id) {
            outcome = ScriptedExchange.run(fixture.steps, readResponse: readResponse, target: target, timing: answerTiming)
        }
        noteAnswered(outcome)
        if ledger.noteRefused(outcome, during: definition.id) {
            ledger.recordStatus(definition, .notJudged, "not judged: the server stopped accepting connections after \(ledger.serverGoneAfter ?? "an earlier check")")
            return
        }
        if answerTiming.cutShort(outcome), let expected, expected != .nothing {
            ledger.recordCutShort(definition, waited: outcome.elapsed)
            return
        }
        var found: [Finding] = []
        var transcripts = [outcome.transcript]
        let died = deathFinding(after: definition, input: fixture.inputSummary, endedUnanswered: outcome.response.isEmpty)
        if let died { found.append(died) }
        if let delay = slowQuietTime {
            found.append(Finding("FRAME-3", "answered \(Int(delay)) ms after the request's last byte, twice: the quiet time must be at most \(Limits.requestQuietRangeMilliseconds.upperBound) ms (\(Self.quietTimeAllowance) ms allowed for timing noise)", fault: "slow-quiet-time"))
        }
        if !outcome.spokeEarly.isEmpty {
            found.append(earlyBytesFinding(outcome.spokeEarly, afterSending: fixture.bytesBeforeFirstSilence))
        }
        if !outcome.answeredEarly.isEmpty {
            found.append(earlyBytesFinding(outcome.answeredEarly, afterSending: fixture.firstChunk))
        }
        let answerRequirement = fixture.answerRequirement(parameters: parameters)
        // A framing fault explains whatever follows; judging the answer too would name it twice.
        if let expected, outcome.spokeEarly.isEmpty, outcome.answeredEarly.isEmpty {
            let judgement = ResponseJudge.judge(outcome.response, expected: expected, requirement: answerRequirement, request: fixture.framedRequest)
            if !outcome.response.isEmpty { ledger.responses.append((definition.id, outcome.transcript, judgement)) }
            switch outcome.end {
            case .silence where expected != .nothing && fixture.endsOnQuietTime && ledger.baselineFaults?.contains("silence") != true:
                // Only the quiet time could end this request, and the server answers requests
                // that end otherwise: no answer means this one never ended.
                let within = Int(answerTiming.answer.inMilliseconds)
                found.append(Finding("FRAME-3", "no answer within \(within) ms to a request without LF or half-close: the server waits for a terminator that never comes", fault: "waits-for-terminator"))
            case .silence where expected != .nothing:
                let within = Int(answerTiming.answer.inMilliseconds)
                found.append(Finding(fixture.requirements[0], "no answer within \(within) ms", fault: "silence"))
            case .reset where outcome.response.isEmpty && expected != .nothing:
                found.append(Finding(fixture.requirements[0], "the connection was reset without an answer", fault: "reset-without-answer"))
            case .eof where outcome.response.isEmpty && expected != .nothing:
                found.append(Finding(fixture.requirements[0], "the server closed without answering", fault: "closed-without-answer"))
            case .noClose where expected == .nothing && outcome.response.isEmpty:
                found.append(Finding(answerRequirement, "expected the server to close without answering; it kept the connection open", fault: "kept-open"))
            default:
                found += judgement.findings.filter { $0.level == .must }
            }
        }
        if fixture.thenServes, died == nil {
            let (after, afterJudgement, afterCutShort) = normalExchange(check: definition.id)
            transcripts.append(after.transcript)
            if afterCutShort && found.isEmpty {
                ledger.recordCutShort(definition, waited: after.elapsed)
                return
            } else if afterCutShort {
                // The input's own fault stands; whether the server still serves is undecided.
            } else if let error = after.connectError {
                found.append(Finding("ROBUST-1", "the server stopped accepting connections after this input (\(error.description))"))
                ledger.serverGoneAfter = definition.id
            } else {
                let problems = findings(for: after, afterJudgement, answerRequirement: ResponseJudge.governingRequirement(for: normalRequest, parameters: parameters))
                // Failing as this server always fails is not damage done by this input.
                if let first = problems.first, !isBaselineBehaviour(problems) {
                    found.append(Finding("ROBUST-1", "the next normal exchange failed where the run's first one had not failed this way: \(first.message)", fault: "robust:" + (first.fault ?? first.message)))
                }
            }
        }
        let got = outcome.end == .notRead ? "connection reset by the client" : "answered \(ByteEscaping.escape(outcome.response)) (\(outcome.end.rawValue))"
        ledger.record(definition, findings: found, message: got, expected: expected?.summary, transcripts: transcripts, duration: outcome.elapsed)
    }
}

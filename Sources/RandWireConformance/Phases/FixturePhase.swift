import RandWireProtocol
import RandWireSocket

extension ConformanceRunner {
    func orderedFixtures(destructive: Bool) -> [Fixture] {
        catalog.fixtures.filter { $0.destructive == destructive }.sorted { ($0.order, $0.id) < ($1.order, $1.id) }
    }

    func runFixture(_ fixture: Fixture) {
        let definition = fixture.definition
        guard ledger.mayRun(definition) else { return }
        announce(definition)
        let answerTiming = fixture.answerWithinMilliseconds.map(timing.answering(within:)) ?? timing.current
        let expected = fixture.expectedAnswer(parameters: parameters)
        let readResponse = !fixture.steps.contains(.reset)
        var outcome = ScriptedExchange.run(fixture.steps, readResponse: readResponse, target: configuration.target, timing: answerTiming)
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
            outcome = ScriptedExchange.run(fixture.steps, readResponse: readResponse, target: configuration.target, timing: answerTiming)
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
        if !outcome.spokeEarly.isEmpty {
            found.append(Finding("FRAME-5", "the server sent \(ByteEscaping.escape(outcome.spokeEarly)) before the request was complete"))
        }
        if !outcome.answeredEarly.isEmpty {
            found.append(Finding("FRAME-4", "the server answered \(ByteEscaping.escape(outcome.answeredEarly)) after the first piece of the request, before the rest arrived: it did not assemble the request"))
        }
        let answerRequirement = fixture.answerRequirement(parameters: parameters)
        // A framing fault explains whatever follows; judging the answer too would name it twice.
        if let expected, outcome.spokeEarly.isEmpty, outcome.answeredEarly.isEmpty {
            let judgement = ResponseJudge.judge(outcome.response, expected: expected, requirement: answerRequirement)
            if !outcome.response.isEmpty { ledger.responses.append((definition.id, outcome.transcript, judgement)) }
            switch outcome.end {
            case .silence where expected != .nothing:
                let within = Int(answerTiming.answer.inMilliseconds)
                found.append(Finding(fixture.requirements[0], "no answer within \(within) ms"))
            case .reset where outcome.response.isEmpty && expected != .nothing:
                found.append(Finding(fixture.requirements[0], "the connection was reset without an answer"))
            case .eof where outcome.response.isEmpty && expected != .nothing:
                found.append(Finding(fixture.requirements[0], "the server closed without answering"))
            case .noClose where expected == .nothing && outcome.response.isEmpty:
                found.append(Finding(answerRequirement, "expected the server to close without answering; it kept the connection open"))
            default:
                found += judgement.findings.filter { $0.level == .must }
            }
        }
        if fixture.thenServes {
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
                if let first = problems.first {
                    found.append(Finding("ROBUST-1", "the next normal exchange failed: \(first.message)"))
                }
            }
        }
        let got = outcome.end == .notRead ? "connection reset by the client" : "answered \(ByteEscaping.escape(outcome.response)) (\(outcome.end.rawValue))"
        ledger.record(definition, findings: found, message: got, expected: expected?.summary, transcripts: transcripts, duration: outcome.elapsed)
    }
}

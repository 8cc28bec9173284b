import RandWireProtocol
import RandWireSocket

extension ConformanceRunner {
    /// basic.exchange, lifecycle.close, format.single-write, lifecycle.keeps-serving.
    /// Returns false when the target cannot be reached at all (exit 69).
    func runBasicPhase() -> Bool {
        let basic = definition(BuiltinChecks.basic)
        announce(basic, "connecting, waiting up to \(Self.seconds(configuration.answerTimeout)) for an answer")
        let (outcome, judgement, basicCutShort) = normalExchange(check: basic.id)
        if let error = outcome.connectError {
            ledger.warnings.append("\(configuration.target) could not be reached: \(error.description)")
            return false
        }
        let answerRequirement = ResponseJudge.governingRequirement(for: normalRequest, parameters: parameters)
        let expected = ExpectedAnswer.forRequest(normalRequest, parameters: parameters).summary
        if !basicCutShort {
            ledger.baselineFaults = Set(findings(for: outcome, judgement, answerRequirement: answerRequirement).compactMap(\.fault))
        }
        if ledger.isSelected(basic), basicCutShort {
            ledger.recordCutShort(basic, waited: outcome.elapsed)
        } else if ledger.isSelected(basic) {
            let found = findings(for: outcome, judgement, answerRequirement: answerRequirement)
            ledger.record(basic, findings: found, message: "answered \(ByteEscaping.escape(outcome.response))",
                   expected: expected, transcripts: [outcome.transcript], duration: outcome.elapsed)
        } else {
            ledger.recordStatus(basic, .skip, VerdictAssessment.deselectedMessage)
        }

        let close = definition(BuiltinChecks.close)
        if ledger.mayRun(close) {
            var closeFindings: [Finding] = []
            switch outcome.end {
            case .noClose:
                closeFindings.append(Finding("CORE-3", "the server did not close within \(Int(timing.closeWait.inMilliseconds)) ms after its response"))
                // From now on a response ends at the client's quiet time: the fault is named once.
                timing.closeWait = .milliseconds(Limits.responseQuietMilliseconds + 50)
            case .silence:
                closeFindings.append(Finding("CORE-3", "no response, so no close after one"))
            default: break
            }
            ledger.record(close, findings: closeFindings, message: "closed after the response (\(outcome.end.rawValue))",
                   transcripts: [outcome.transcript], duration: outcome.elapsed)
        }

        let single = definition(BuiltinChecks.singleWrite)
        if ledger.mayRun(single) {
            var found: [Finding] = []
            if outcome.firstReadCount < outcome.response.count {
                // A response that is itself wrong (a banner written before the answer) arrives in
                // pieces because of that fault: the same fault, not a second one.
                let cause = judgement.findings.first { $0.level == .must }?.fault
                found.append(Finding("CORE-5", "the first read returned \(outcome.firstReadCount) of \(outcome.response.count) bytes: a one-recv client would see a partial answer", fault: cause))
            }
            ledger.record(single, findings: found, message: "the whole response arrived in one read", transcripts: [outcome.transcript])
        }

        let keeps = definition(BuiltinChecks.keepsServing)
        if ledger.mayRun(keeps) {
            announce(keeps)
            var transcripts: [Transcript] = []
            var found: [Finding] = []
            var keepsCutShort: Duration?
            let started = Deadline.now
            for attempt in 1...3 {
                let (next, nextJudgement, cutShort) = normalExchange(check: keeps.id)
                transcripts.append(next.transcript)
                if cutShort { keepsCutShort = next.elapsed; break }
                if let error = next.connectError {
                    found.append(Finding("CORE-9", "connection \(attempt + 1) was not accepted: \(error.description)"))
                    if let supervisor {
                        found.append(charge(deathOnRefusal(supervisor), to: keeps.id, input: "connection \(attempt + 1)"))
                    } else {
                        ledger.serverGoneAfter = basic.id
                    }
                    break
                }
                // Keeping serving is accepting and answering; what the answers say is judged
                // by the content checks, once.
                if let unanswered = findings(for: next, nextJudgement, answerRequirement: answerRequirement).first(where: { $0.fault == "silence" || $0.fault == "reset-without-answer" })
                    ?? (next.response.isEmpty && next.end == .eof ? Finding("CORE-9", "closed without answering", fault: "closed-without-answer") : nil) {
                    found.append(Finding("CORE-9", "connection \(attempt + 1) was accepted but not answered: \(unanswered.message)", fault: unanswered.fault))
                    if let died = deathFinding(after: keeps, input: "connection \(attempt + 1)", endedUnanswered: true) { found.append(died) }
                    break
                }
            }
            if let waited = keepsCutShort, found.isEmpty {
                ledger.recordCutShort(keeps, waited: waited)
                return true
            }
            ledger.record(keeps, findings: found, message: "3 more connections were served", transcripts: transcripts, duration: Deadline.now - started)
            if !found.isEmpty, ledger.serverGoneAfter != nil { ledger.serverGoneAfter = keeps.id }
        }
        return true
    }
}

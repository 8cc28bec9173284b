import RandWireProtocol
import RandWireSocket

extension ConformanceRunner {
    /// ROBUST-2: with one client connected and silent, another client must still be answered.
    func runIdleClientPhase() {
        let check = definition(BuiltinChecks.idleClient)
        guard ledger.mayRun(check) else { return }
        announce(check, "one client idle, another waiting up to 1 s")
        let started = Deadline.now
        let idle: Connection
        do {
            do {
                idle = try Connection.connect(to: target, deadline: .after(configuration.connectTimeout))
            } catch where reviveAfterRefusal(during: check.id) {
                idle = try Connection.connect(to: target, deadline: .after(configuration.connectTimeout))
            }
        } catch {
            _ = ledger.noteRefused(ExchangeOutcome(transcript: Transcript(), connectError: error), during: check.id)
            ledger.recordStatus(check, .notJudged, "not judged: \(error.description)")
            return
        }
        var patient = timing.current
        patient.answer = .seconds(1)
        let outcome = ScriptedExchange.run(normalSteps, readResponse: true, target: target, timing: patient)
        var found: [Finding] = []
        if outcome.end == .silence || outcome.response.isEmpty {
            found.append(Finding("ROBUST-2", "with one idle client connected, another client got no answer within 1000 ms (the server serves one connection at a time)"))
        }
        // Finish the idle connection with a valid request, so a serial server is left in a
        // normal state (an empty request kills some seed servers).
        if let request = normalSteps.first, case let .send(bytes) = request {
            try? idle.send(bytes, deadline: .after(configuration.connectTimeout))
        }
        let drainUntil = Deadline.after(.seconds(2))
        drain: while Deadline.now < drainUntil {
            switch idle.read(maxBytes: 4096, deadline: drainUntil.adding(.zero)) {
            case .data: if profile.clientSendsRequest { break drain }
            default: break drain
            }
        }
        idle.close()
        ledger.record(check, findings: found, message: "answered in \(Int(outcome.elapsed.inMilliseconds)) ms while another client sat idle",
               transcripts: [outcome.transcript], duration: Deadline.now - started)
        // A server that dies when the idle client finally speaks or leaves is charged here,
        // not to whichever check happens to run next.
        if let died = deathFinding(after: check, input: "one connection held idle, then sent the normal request", endedUnanswered: true) {
            ledger.append(died, to: check.id)
        }
    }
}

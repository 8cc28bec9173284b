import RandWireProtocol
import RandWireSocket

/// LIMIT-2: a connection that sends nothing must be closed within the spec's bound. The wait is
/// long (up to 10.5 s), so on a server that serves clients concurrently it runs in the
/// background while the other phases go on; on a serial server it runs last, where its silent
/// connection blocks no one.
extension ConformanceRunner {
    /// What the silent connection saw.
    struct SilentConnectionOutcome: Sendable {
        var closedAfter: Duration?
        var error: String?
        var transcript = Transcript()
    }

    /// A silent connection being watched.
    struct DeadlineProbe {
        let outcome: FanOut.Pending<SilentConnectionOutcome>
        let started: Deadline
        /// How long the probe may wait: less than LIMIT-2's bound when the run deadline is nearer.
        let waitLimit: Duration
    }

    func startConnectionDeadlineInBackground() -> DeadlineProbe? {
        let check = definition(BuiltinChecks.connectionDeadline)
        guard catalog.builtins.contains(where: { $0.id == check.id }), ledger.isSelected(check) else { return nil }
        guard ledger[BuiltinChecks.idleClient.id]?.status == .pass else { return nil }
        return launchDeadlineProbe()
    }

    func launchDeadlineProbe() -> DeadlineProbe {
        let target = self.target
        let connectTimeout = configuration.connectTimeout
        let limit = min(configuration.connectionDeadlineLimit, max(runDeadline - Deadline.now, .milliseconds(100)))
        let started = Deadline.now
        let outcome = FanOut.start(name: "randwire-limit2") {
            Self.watchSilentConnection(target: target, connectTimeout: connectTimeout, until: started.adding(limit))
        }
        return DeadlineProbe(outcome: outcome, started: started, waitLimit: limit)
    }

    static func watchSilentConnection(target: Endpoint, connectTimeout: Duration, until: Deadline) -> SilentConnectionOutcome {
        let start = Deadline.now
        var outcome = SilentConnectionOutcome()
        do {
            let connection = try Connection.connect(to: target, deadline: .after(connectTimeout))
            defer { connection.close() }
            outcome.transcript.localPort = connection.localAddress?.port
            while true {
                switch connection.read(maxBytes: 2048, deadline: until) {
                case .data:
                    // A read past its deadline still returns waiting bytes: a flooding
                    // server would keep this loop going forever without this check.
                    if until.hasPassed { return outcome }
                case .eof, .reset:
                    outcome.closedAfter = Deadline.now - start
                    return outcome
                case .timeout:
                    return outcome
                case let .failed(error):
                    outcome.error = error.description
                    return outcome
                }
            }
        } catch {
            outcome.error = "\(error)"
        }
        return outcome
    }

    func finishConnectionDeadline(_ background: DeadlineProbe?) {
        let check = definition(BuiltinChecks.connectionDeadline)
        guard catalog.builtins.contains(where: { $0.id == check.id }) else { return }
        guard ledger.mayRun(check) else { return }
        let probe = background ?? launchDeadlineProbe()
        let waitingUntil = probe.started.adding(probe.waitLimit)
        if !waitingUntil.hasPassed {
            announce(check, "waiting up to \(Self.seconds(waitingUntil - Deadline.now)) for the server to close a silent connection")
        }
        let outcome = probe.outcome.value()
        let limitMs = Int(configuration.connectionDeadlineLimit.inMilliseconds)
        if let error = outcome.error {
            ledger.recordStatus(check, .notJudged, "not judged: \(error)")
        } else if let closed = outcome.closedAfter {
            ledger.record(check, findings: [], message: "a silent connection was closed after \(Int(closed.inMilliseconds)) ms")
        } else if probe.waitLimit < configuration.connectionDeadlineLimit {
            // Still open when a shortened wait ended proves nothing about LIMIT-2.
            ledger.recordStatus(check, .notJudged, "not judged: the run's \(ledger.seconds) s deadline ended the wait for the server to close a silent connection after \(Int(probe.waitLimit.inMilliseconds)) ms; \(limitMs) ms are needed; raise --run-timeout", checkerLimited: true)
        } else {
            ledger.record(check, findings: [Finding("LIMIT-2", "a connection that sent nothing was still open after \(limitMs) ms")],
                          message: "", transcripts: [outcome.transcript])
        }
    }
}

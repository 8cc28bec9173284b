import RandWireProtocol
import RandWireSocket

/// A supervised server's deaths: found right after the input that caused them, charged to that
/// check with the input, the exit status and the traceback, and followed by a restart, so that
/// the checks after it are still judged (instead of "not judged: the server stopped").
extension ConformanceRunner {
    var supervisor: (any TargetSupervisor)? { configuration.supervisor }

    /// If the supervised server died during `definition`, the finding that charges it, after
    /// restarting the server. `ended` tells whether the exchange ended without an answer, in
    /// which case a dying process is given a moment to finish its exit.
    func deathFinding(after definition: CheckDefinition, input: String, endedUnanswered: Bool) -> Finding? {
        guard let supervisor, let death = supervisor.death(grace: endedUnanswered ? .milliseconds(300) : .zero) else { return nil }
        return charge(death, to: definition.id, input: input)
    }

    /// Charges `death` to `check` and brings the server back (or records why not).
    func charge(_ death: ServerDeath, to check: String, input: String) -> Finding {
        deaths.append((check, input, death))
        let requirement = check.hasPrefix("lifecycle") || check == BuiltinChecks.basic.id ? "CORE-9" : "ROBUST-1"
        var message = "the server died on this input (\(input)): \(death.status)"
        if !death.stderrTail.isEmpty {
            message += "; its stderr ends: " + death.stderrTail.suffix(3).joined(separator: " | ")
        }
        revive(after: check)
        return Finding(requirement, message, fault: "death:" + check)
    }

    /// Restarts the supervised server within its budget; past it, later checks are not judged.
    func revive(after check: String) {
        guard let supervisor else { return }
        guard restarts < supervisor.restartBudget else {
            ledger.serverGoneAfter = check
            ledger.warnings.append("the server was not restarted again: its budget of \(supervisor.restartBudget) restarts is used up")
            return
        }
        restarts += 1
        switch supervisor.restart() {
        case let .success(endpoint):
            target = endpoint
        case let .failure(refusal):
            ledger.serverGoneAfter = check
            ledger.warnings.append("the server could not be restarted after \(check): \(refusal.description)")
        }
    }

    /// Before a check starts: a supervised server that died since the last check (after its
    /// exchanges had ended, so no check noticed) is charged to the check that ran last, and
    /// restarted, so this check does not inherit a dead server.
    func settleEarlierDeath() {
        guard let supervisor, ledger.serverGoneAfter == nil, let culprit = ledger.lastCheckRun,
              let death = supervisor.death(grace: .zero) else { return }
        ledger.append(charge(death, to: culprit, input: "the exchanges of \(culprit)"), to: culprit)
    }

    /// A connect refused at the start of `check`: with a supervisor, a death no check noticed
    /// (a server that died after its last exchange ended) is charged to the check that ran
    /// last, and the server restarted. True when the caller may retry its exchange.
    func reviveAfterRefusal(during check: String) -> Bool {
        guard let supervisor, ledger.serverGoneAfter == nil else { return false }
        let culprit = ledger.lastCheckRun ?? check
        let finding = charge(deathOnRefusal(supervisor), to: culprit, input: "the exchanges of \(culprit)")
        ledger.append(finding, to: culprit)
        return ledger.serverGoneAfter == nil
    }

    /// Why a supervised server refused a connect: its death (given time to finish exiting, as an
    /// interpreter printing a traceback needs), or a live process that stopped accepting.
    func deathOnRefusal(_ supervisor: any TargetSupervisor) -> ServerDeath {
        supervisor.death(grace: .seconds(2))
            ?? ServerDeath(status: "still running, but no longer accepting connections", stderrTail: [])
    }

    /// The report's line about deaths and restarts.
    func noteDeaths() {
        guard let supervisor, !deaths.isEmpty else { return }
        let list = deaths.prefix(8).map { "\($0.check) (\($0.input))" }.joined(separator: ", ")
        let more = deaths.count > 8 ? ", and \(deaths.count - 8) more" : ""
        ledger.warnings.append("the server crashed \(deaths.count) time\(deaths.count == 1 ? "" : "s"): on \(list)\(more); restarted \(restarts) of at most \(supervisor.restartBudget) times")
    }
}

extension Fixture {
    /// What the fixture sends, for naming a fatal input: `"abc" then half-close`.
    var inputSummary: String {
        var parts: [String] = []
        for step in steps {
            switch step {
            case let .send(bytes): parts.append("sent " + ByteEscaping.escape(bytes, limit: 60))
            case let .sendChunks(chunks, _): parts.append("sent " + chunks.map { ByteEscaping.escape($0, limit: 30) }.joined(separator: " + "))
            case .halfClose: parts.append("half-close")
            case .reset: parts.append("reset")
            case .wait, .expectSilence: continue
            }
        }
        return parts.isEmpty ? "connect only" : parts.joined(separator: ", then ")
    }
}

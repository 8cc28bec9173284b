#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireProtocol
import RandWireSocket

/// Runs every selected check against one target and produces the report. Blocking, and
/// confined to the thread that calls `run`: it drives its sockets with deadlines, and the few
/// waits it runs in the background (the LIMIT-2 probe, the sampler) go through `FanOut`.
/// Each phase is in `Phases/`; the verdicts in a `VerdictLedger`, the waits in an
/// `ExchangeTimingPolicy`.
package final class ConformanceRunner {
    let configuration: RunConfiguration
    let catalog: Catalog
    let started = Deadline.now
    let runDeadline: Deadline
    var ledger: VerdictLedger
    var timing: ExchangeTimingPolicy
    /// Where the server listens: moves when a supervised server is restarted on a fresh port.
    var target: Endpoint
    /// Each death of a supervised server: the check and input that caused it.
    var deaths: [(check: String, input: String, death: ServerDeath)] = []
    var restarts = 0

    package init(configuration: RunConfiguration) {
        self.configuration = configuration
        self.catalog = Catalog(profile: configuration.parameters.profile, fixtures: configuration.fixtures)
        let runDeadline = Deadline.after(configuration.runDeadline)
        self.runDeadline = runDeadline
        self.ledger = VerdictLedger(configuration: configuration, runDeadline: runDeadline)
        self.timing = ExchangeTimingPolicy(configuration: configuration, runDeadline: runDeadline)
        self.target = configuration.supervisor?.endpoint ?? configuration.target
    }

    var parameters: ProfileParameters { configuration.parameters }
    var profile: Profile { parameters.profile }

    func definition(_ builtin: CheckDefinition) -> CheckDefinition {
        catalog.builtins.first { $0.id == builtin.id } ?? builtin
    }

    // MARK: - Progress

    func progress(_ line: String) { configuration.progress?(line) }

    /// `[12/42] limit.connection-deadline (waiting up to 10 s)`: the check now running, its
    /// place among the selected checks, and what it is waiting for when that takes long.
    func announce(_ definition: CheckDefinition, _ detail: String? = nil) {
        settleEarlierDeath()
        guard configuration.progress != nil else { return }
        let selected = catalog.definitions.count(where: ledger.isSelected)
        let position = min(ledger.decidedCount + 1, selected)
        progress("[\(position)/\(selected)] \(definition.id)" + (detail.map { " (\($0))" } ?? ""))
    }

    static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.inMilliseconds
        return milliseconds >= 1000 ? "\(Int((milliseconds / 1000).rounded())) s" : "\(Int(milliseconds)) ms"
    }

    // MARK: - Run

    package func run() -> RunReport {
        let startedAt = Date.now.formatted(.iso8601)
        progress("checking \(configuration.target) as \(profile)")
        let reachable = runBasicPhase()
        if reachable {
            runIdleClientPhase()
            let deadlineProbe = startConnectionDeadlineInBackground()
            for fixture in orderedFixtures(destructive: false) { runFixture(fixture) }
            runRandomnessPhase()
            for fixture in orderedFixtures(destructive: true) { runFixture(fixture) }
            finishConnectionDeadline(deadlineProbe)
            runWholeRunFormatChecks()
            ledger.linkConsequences(in: catalog.definitions)
        }
        noteDeaths()
        // Anything not reached is recorded, so every report lists every check.
        for definition in catalog.definitions where ledger[definition.id] == nil {
            if !ledger.isSelected(definition) {
                ledger.recordStatus(definition, .skip, VerdictAssessment.deselectedMessage)
            } else if !reachable {
                ledger.recordStatus(definition, .notJudged, "not judged: the target could not be reached")
            } else {
                _ = ledger.mayRun(definition)
                if ledger[definition.id] == nil { ledger.recordStatus(definition, .skip, "not applicable") }
            }
        }
        let ordered = catalog.definitions.compactMap { ledger[$0.id] }
        let assessment = VerdictAssessment.assess(
            results: ordered, strict: configuration.strict, unreachable: !reachable,
            narrowed: !configuration.only.isEmpty || !configuration.skip.isEmpty,
            unreachableReason: reachable ? nil : ledger.warnings.first)
        return RunReport(
            target: target.description, profile: profile, parameters: parameters,
            strict: configuration.strict, seed: configuration.seed, startedAt: startedAt,
            durationMilliseconds: (Deadline.now - started).inMilliseconds,
            results: ordered, assessment: assessment, warnings: ledger.warnings)
    }

    // MARK: - The normal exchange

    /// The request the runner sends for a normal exchange: what the seed clients send, LF-terminated.
    var normalSteps: [Fixture.Step] {
        profile.seedRequestLine.map { [.send($0)] } ?? []
    }

    var normalRequest: Request? {
        profile.seedRequest.map { Request(content: Array($0.utf8), end: .lineFeed) }
    }

    /// Counts the exchange towards the silence policy, noting when the server starts to look silent.
    func noteAnswered(_ outcome: ExchangeOutcome) {
        if let note = timing.noteAnswered(outcome) { ledger.warnings.append(note) }
    }

    /// One normal exchange; `cutShort` when it heard nothing only because the run deadline
    /// ended the wait.
    func normalExchange(check: String) -> (ExchangeOutcome, ResponseJudgement, cutShort: Bool) {
        let timing = self.timing.current
        let outcome = ScriptedExchange.run(normalSteps, readResponse: true, target: target, timing: timing)
        noteAnswered(outcome)
        let judgement = ResponseJudge.judge(outcome.response, request: normalRequest, parameters: parameters)
        if outcome.connected && !outcome.response.isEmpty {
            ledger.responses.append((check, outcome.transcript, judgement))
        }
        return (outcome, judgement, timing.cutShort(outcome))
    }

    /// Findings for a normal exchange: the answer judged, plus silence or reset.
    func findings(for outcome: ExchangeOutcome, _ judgement: ResponseJudgement, answerRequirement: String) -> [Finding] {
        switch outcome.end {
        case .silence:
            return [Finding(answerRequirement, "no answer within \(Int(configuration.answerTimeout.inMilliseconds)) ms", fault: "silence")]
        case .reset where outcome.response.isEmpty:
            return [Finding(answerRequirement, "the connection was reset without an answer", fault: "reset-without-answer")]
        default:
            return judgement.findings.filter { $0.level == .must }
        }
    }

    /// The server's own way of failing a normal exchange, as the first exchange of the run
    /// showed it: later exchanges that fail the same way show nothing new (ROBUST-1 is for a
    /// server that changed for the worse).
    func isBaselineBehaviour(_ problems: [Finding]) -> Bool {
        guard let baseline = ledger.baselineFaults, !problems.isEmpty else { return false }
        return problems.allSatisfy { $0.fault.map(baseline.contains) ?? false }
    }
}

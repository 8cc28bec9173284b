import RandWireProtocol
import RandWireSocket
import RandWireStatistics

/// The verdict bookkeeping of one run: what each check concluded, which check ran last, and
/// whether the server is still there to judge. Phases write to it; the report is read from it.
struct VerdictLedger {
    let strict: Bool
    let knownFailures: Set<String>
    let only: [String]
    let skip: [String]
    let runDeadline: Deadline
    /// The run's whole allowance, for messages (`the run's 60 s deadline`).
    let runAllowance: Duration

    private(set) var results: [String: CheckResult] = [:]
    /// Set once a connect is refused after the server had answered: later checks are not judged.
    var serverGoneAfter: String?
    private(set) var lastCheckRun: String?
    /// Every response seen, for the whole-run format checks (CORE-6).
    var responses: [(check: String, transcript: Transcript, judgement: ResponseJudgement)] = []
    /// Notes on the run itself, shown in every report.
    var warnings: [String] = []
    /// The faults of the run's first normal exchange: how this server answers when nothing is
    /// unusual (empty when it answers correctly; nil before it was seen).
    var baselineFaults: Set<String>?

    init(configuration: RunConfiguration, runDeadline: Deadline) {
        strict = configuration.strict
        knownFailures = configuration.knownFailures
        only = configuration.only
        skip = configuration.skip
        self.runDeadline = runDeadline
        runAllowance = configuration.runDeadline
    }

    subscript(id: String) -> CheckResult? { results[id] }

    func isSelected(_ definition: CheckDefinition) -> Bool {
        Catalog.isSelected(definition, only: only, skip: skip)
    }

    /// Checks decided so far, deselected ones left out: the progress line's position.
    var decidedCount: Int {
        results.values.count { $0.status != .skip || $0.message != VerdictAssessment.deselectedMessage }
    }

    /// Records a verdict from findings: a MUST check with a MUST finding fails; a SHOULD check
    /// with any finding warns (fails under `--strict`).
    mutating func record(_ definition: CheckDefinition, findings: [Finding], message: String, expected: String? = nil,
                         transcripts: [Transcript] = [], statistics: [StatResult] = [], samples: [[Int]]? = nil,
                         duration: Duration = .zero) {
        let relevant = definition.level == .must ? findings.filter { $0.level == .must } : findings
        let status: CheckStatus
        if relevant.isEmpty {
            status = .pass
        } else if definition.level == .must || strict {
            status = .fail
        } else {
            status = .warn
        }
        var result = CheckResult(
            definition: definition, status: status, message: relevant.isEmpty ? message : relevant.map(\.message).joined(separator: "; "),
            expected: expected, findings: findings, transcripts: transcripts, statistics: statistics,
            samples: samples, durationMilliseconds: duration.inMilliseconds)
        if status == .fail && knownFailures.contains(definition.id) { result.knownFailure = true }
        results[definition.id] = result
        lastCheckRun = definition.id
    }

    mutating func recordStatus(_ definition: CheckDefinition, _ status: CheckStatus, _ message: String, checkerLimited: Bool = false) {
        var result = CheckResult(definition: definition, status: status, message: message)
        if checkerLimited { result.checkerLimited = true }
        results[definition.id] = result
    }

    /// A check whose exchange heard nothing only because the run's deadline ended its wait.
    mutating func recordCutShort(_ definition: CheckDefinition, waited: Duration) {
        recordStatus(definition, .notJudged, "not judged: the run's \(seconds) s deadline ended the wait for an answer after \(Int(waited.inMilliseconds)) ms; raise --run-timeout", checkerLimited: true)
        lastCheckRun = definition.id
    }

    /// A check the checker itself could not run properly (a machine too busy to time a request).
    mutating func recordCheckerLimited(_ definition: CheckDefinition, _ message: String) {
        recordStatus(definition, .notJudged, message, checkerLimited: true)
        lastCheckRun = definition.id
    }

    var seconds: Int { Int(runAllowance.inMilliseconds / 1000) }

    /// Whether the check may run now: selected, the server still there, time left (unless it
    /// needs no time: the whole-run checks judge what earlier exchanges already gathered).
    /// When it may not, the reason is recorded.
    mutating func mayRun(_ definition: CheckDefinition, needsTime: Bool = true) -> Bool {
        guard results[definition.id] == nil else { return false }
        guard isSelected(definition) else {
            recordStatus(definition, .skip, VerdictAssessment.deselectedMessage)
            return false
        }
        if let gone = serverGoneAfter {
            recordStatus(definition, .notJudged, "not judged: the server stopped accepting connections after \(gone)")
            return false
        }
        if needsTime, Deadline.now >= runDeadline {
            recordStatus(definition, .notJudged, "not judged: the run reached its \(seconds) s deadline; raise --run-timeout", checkerLimited: true)
            return false
        }
        return true
    }

    /// One fault, one finding: a finding whose fault an earlier check already showed (the same
    /// banner, the same wrong token, the same silence) is that check's consequence. It is
    /// charged to the requirement the root finding names and linked to it, and a check whose
    /// every finding is such an echo is marked as the root's consequence. Uniformity failures
    /// next to a failed independence check are the dependence's consequences: the chi-square
    /// assumes independent draws (spec section 7.3).
    mutating func linkConsequences(in order: [CheckDefinition]) {
        let dependenceChecks = [BuiltinChecks.adjacentRepeats.id, BuiltinChecks.longestRun.id, BuiltinChecks.serialCorrelation.id]
        let before = results
        let dependence = dependenceChecks.compactMap { before[$0] }.first { $0.status == .fail }
        var roots: [String: (check: String, requirement: String)] = [:]
        for definition in order {
            guard var result = results[definition.id], result.status == .fail || result.status == .warn else { continue }
            var root: String?
            var allEchoes = true
            var judged = false
            result.findings = result.findings.map { finding in
                guard definition.level != .must || finding.level == .must else { return finding }
                judged = true
                if let dependence, dependence.id != definition.id, finding.requirement == "RAND-1" {
                    root = root ?? dependence.id
                    return finding.charged(to: dependence.requirements[0], consequenceOf: dependence.id)
                }
                guard let fault = finding.fault else {
                    allEchoes = false
                    return finding
                }
                if let first = roots[fault], first.check != definition.id {
                    root = root ?? first.check
                    return finding.charged(to: first.requirement, consequenceOf: first.check)
                }
                if roots[fault] == nil { roots[fault] = (definition.id, finding.requirement) }
                allEchoes = false
                return finding
            }
            if judged, allEchoes, let root { result.consequenceOf = root }
            results[definition.id] = result
        }
    }

    /// Adds a finding to a check already recorded: it fails (a death found after the fact).
    mutating func append(_ finding: Finding, to id: String) {
        guard var result = results[id], result.status != .skip, result.status != .notJudged else { return }
        result.findings.append(finding)
        result.message = result.status == .pass || result.status == .warn ? finding.message : result.message + "; " + finding.message
        result.status = .fail
        results[id] = result
    }

    /// A connect refused after the server had answered before means it died or stopped
    /// accepting: charge it to the check that ran last (ROBUST-1, CORE-9) and stop judging.
    mutating func noteRefused(_ outcome: ExchangeOutcome, during checkID: String) -> Bool {
        guard let error = outcome.connectError else { return false }
        if serverGoneAfter == nil {
            serverGoneAfter = lastCheckRun ?? checkID
            if let culprit = lastCheckRun, var previous = results[culprit], previous.status != .skip, previous.status != .notJudged,
               !previous.findings.contains(where: { $0.requirement == "ROBUST-1" || $0.requirement == "CORE-9" }) {
                let finding = Finding(culprit.hasPrefix("lifecycle") || culprit == "basic.exchange" ? "CORE-9" : "ROBUST-1",
                                      "the server stopped accepting connections after this check (next connect: \(error.description))")
                previous.findings.append(finding)
                previous.message = previous.status == .pass || previous.status == .warn ? finding.message : previous.message + "; " + finding.message
                previous.status = .fail
                results[culprit] = previous
            }
        }
        return true
    }
}

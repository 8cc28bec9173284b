import Foundation
import RandWireProtocol
import RandWireSocket
import RandWireStatistics
import Synchronization

/// Runs every selected check against one target and produces the report. Blocking: it drives
/// sockets on its own threads; call `run` from a dedicated thread or use `runAsync`.
package final class ConformanceRunner: @unchecked Sendable {
    let configuration: RunConfiguration
    let catalog: Catalog
    let started = Deadline.now
    let runDeadline: Deadline
    var results: [String: CheckResult] = [:]
    /// Set once a connect is refused after the server had answered: later checks are not judged.
    var serverGoneAfter: String?
    var lastCheckRun: String?
    /// Every response seen, for the whole-run format checks (CORE-6).
    var responses: [(check: String, transcript: Transcript, judgement: ResponseJudgement)] = []
    /// Shortened once the server is known not to close, so a never-closing server costs little.
    var closeWait: Duration
    var warnings: [String] = []

    package init(configuration: RunConfiguration) {
        self.configuration = configuration
        self.catalog = Catalog(profile: configuration.parameters.profile, fixtures: configuration.fixtures)
        self.runDeadline = .after(configuration.runDeadline)
        self.closeWait = configuration.closeWait
    }

    /// Runs the suite on a dedicated thread, off the Swift concurrency pool.
    package static func runAsync(_ configuration: RunConfiguration) async -> RunReport {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: ConformanceRunner(configuration: configuration).run())
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    var parameters: ProfileParameters { configuration.parameters }
    var profile: Profile { parameters.profile }

    /// Exchanges in a row that got no answer at all. Past three, the server is taken to be
    /// silent and later exchanges wait only `silentAnswerWait` for a first byte, so a server that
    /// accepts and never answers costs seconds, not the whole run deadline.
    var silentStreak = 0
    static let silentAnswerWait = Duration.milliseconds(500)

    var timing: ExchangeTiming {
        let wanted = silentStreak >= 3 ? min(configuration.answerTimeout, Self.silentAnswerWait) : configuration.answerTimeout
        var timing = ExchangeTiming(connect: configuration.connectTimeout, answer: wanted, closeWait: closeWait,
                                    exchangeLimit: configuration.connectionDeadlineLimit)
        clampToRunDeadline(&timing)
        return timing
    }

    /// Never wait past the run's own deadline; remember when that shortened the wait.
    func clampToRunDeadline(_ timing: inout ExchangeTiming) {
        let left = runDeadline - Deadline.now
        if left < timing.answer {
            timing.answer = max(.milliseconds(50), left)
            timing.cutByRunDeadline = true
        }
    }

    /// An exchange that heard nothing only because the run's deadline ended its wait.
    func silenceCutShort(_ outcome: ExchangeOutcome, _ timing: ExchangeTiming) -> Bool {
        timing.cutByRunDeadline && outcome.end == .silence && outcome.response.isEmpty
    }

    func recordCutShort(_ definition: CheckDefinition, waited: Duration) {
        recordStatus(definition, .notJudged, "not judged: the run's \(Int(ScriptedExchange.milliseconds(configuration.runDeadline) / 1000)) s deadline ended the wait for an answer after \(Int(ScriptedExchange.milliseconds(waited))) ms; raise --run-timeout", checkerLimited: true)
        lastCheckRun = definition.id
    }

    func noteAnswered(_ outcome: ExchangeOutcome) {
        guard outcome.connected, outcome.end != .notRead else { return }
        if outcome.response.isEmpty && outcome.end == .silence {
            silentStreak += 1
            if silentStreak == 3 {
                warnings.append("three exchanges in a row got no answer: later ones wait \(Int(ScriptedExchange.milliseconds(Self.silentAnswerWait))) ms for a first byte")
            }
        } else if !outcome.response.isEmpty {
            silentStreak = 0
        }
    }

    func progress(_ line: String) { configuration.progress?(line) }

    /// `[12/42] limit.connection-deadline (waiting up to 10 s)`: the check now running, its
    /// place among the selected checks, and what it is waiting for when that takes long.
    func announce(_ definition: CheckDefinition, _ detail: String? = nil) {
        guard configuration.progress != nil else { return }
        let selected = catalog.definitions.filter(isSelected)
        let judged = results.values.filter { $0.status != .skip || $0.message != VerdictAssessment.deselectedMessage }.count
        let position = min(judged + 1, selected.count)
        progress("[\(position)/\(selected.count)] \(definition.id)" + (detail.map { " (\($0))" } ?? ""))
    }

    static func seconds(_ duration: Duration) -> String {
        let milliseconds = ScriptedExchange.milliseconds(duration)
        return milliseconds >= 1000 ? "\(Int((milliseconds / 1000).rounded())) s" : "\(Int(milliseconds)) ms"
    }

    func isSelected(_ definition: CheckDefinition) -> Bool {
        Catalog.isSelected(definition, only: configuration.only, skip: configuration.skip)
    }

    func definition(_ builtin: CheckDefinition) -> CheckDefinition {
        catalog.builtins.first { $0.id == builtin.id } ?? builtin
    }

    /// Records a verdict from findings: a MUST check with a MUST finding fails; a SHOULD check
    /// with any finding warns (fails under `--strict`).
    func record(_ definition: CheckDefinition, findings: [Finding], message: String, expected: String? = nil,
                transcripts: [Transcript] = [], statistics: [StatResult] = [], samples: [[Int]]? = nil,
                duration: Duration = .zero) {
        let relevant = definition.level == .must ? findings.filter { $0.level == .must } : findings
        let status: CheckStatus
        if relevant.isEmpty {
            status = .pass
        } else if definition.level == .must || configuration.strict {
            status = .fail
        } else {
            status = .warn
        }
        var result = CheckResult(
            definition: definition, status: status, message: relevant.isEmpty ? message : relevant.map(\.message).joined(separator: "; "),
            expected: expected, findings: findings, transcripts: transcripts, statistics: statistics,
            samples: samples, durationMilliseconds: ScriptedExchange.milliseconds(duration))
        if status == .fail && configuration.knownFailures.contains(definition.id) { result.knownFailure = true }
        results[definition.id] = result
        lastCheckRun = definition.id
    }

    func recordStatus(_ definition: CheckDefinition, _ status: CheckStatus, _ message: String, checkerLimited: Bool = false) {
        var result = CheckResult(definition: definition, status: status, message: message)
        if checkerLimited { result.checkerLimited = true }
        results[definition.id] = result
    }

    /// Whether the check may run now: selected, the server still there, time left (unless it
    /// needs no time: the whole-run checks judge what earlier exchanges already gathered).
    func mayRun(_ definition: CheckDefinition, needsTime: Bool = true) -> Bool {
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
            recordStatus(definition, .notJudged, "not judged: the run reached its \(Int(ScriptedExchange.milliseconds(configuration.runDeadline) / 1000)) s deadline; raise --run-timeout", checkerLimited: true)
            return false
        }
        return true
    }

    /// A connect refused after the server had answered before means it died or stopped
    /// accepting: charge it to the check that ran last (ROBUST-1, CORE-9) and stop judging.
    func noteRefused(_ outcome: ExchangeOutcome, during checkID: String) -> Bool {
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

    // MARK: - The normal exchange

    /// The request the runner sends for a normal exchange: what the seed clients send, LF-terminated.
    var normalSteps: [Fixture.Step] {
        switch profile {
        case .bare, .csv: []
        case .request: [.send(Array("Example request\n".utf8))]
        case .parity: [.send(Array("42\n".utf8))]
        case .double: [.send(Array("21\n".utf8))]
        }
    }

    var normalRequest: Request? {
        switch profile {
        case .bare, .csv: nil
        case .request: Request(content: Array("Example request".utf8), end: .lineFeed)
        case .parity: Request(content: Array("42".utf8), end: .lineFeed)
        case .double: Request(content: Array("21".utf8), end: .lineFeed)
        }
    }

    /// One normal exchange; `cutShort` when it heard nothing only because the run deadline
    /// ended the wait.
    func normalExchange(check: String) -> (ExchangeOutcome, ResponseJudgement, cutShort: Bool) {
        let timing = self.timing
        let outcome = ScriptedExchange.run(normalSteps, readResponse: true, target: configuration.target, timing: timing)
        noteAnswered(outcome)
        let judgement = ResponseJudge.judge(outcome.response, request: normalRequest, parameters: parameters)
        if outcome.connected && !outcome.response.isEmpty {
            responses.append((check, outcome.transcript, judgement))
        }
        return (outcome, judgement, silenceCutShort(outcome, timing))
    }

    /// Findings for a normal exchange: the answer judged, plus silence or reset.
    func findings(for outcome: ExchangeOutcome, _ judgement: ResponseJudgement, answerRequirement: String) -> [Finding] {
        switch outcome.end {
        case .silence:
            return [Finding(answerRequirement, "no answer within \(Int(ScriptedExchange.milliseconds(configuration.answerTimeout))) ms")]
        case .reset where outcome.response.isEmpty:
            return [Finding(answerRequirement, "the connection was reset without an answer")]
        default:
            return judgement.findings.filter { $0.level == .must }
        }
    }

    // MARK: - Run

    package func run() -> RunReport {
        let startedAt = ISO8601DateFormatter().string(from: Date())
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
        }
        // Anything not reached is recorded, so every report lists every check.
        for definition in catalog.definitions where results[definition.id] == nil {
            if !isSelected(definition) {
                recordStatus(definition, .skip, VerdictAssessment.deselectedMessage)
            } else if !reachable {
                recordStatus(definition, .notJudged, "not judged: the target could not be reached")
            } else {
                _ = mayRun(definition)
                if results[definition.id] == nil { recordStatus(definition, .skip, "not applicable") }
            }
        }
        let ordered = catalog.definitions.compactMap { results[$0.id] }
        let assessment = VerdictAssessment.assess(
            results: ordered, strict: configuration.strict, unreachable: !reachable,
            narrowed: !configuration.only.isEmpty || !configuration.skip.isEmpty,
            unreachableReason: reachable ? nil : warnings.first)
        return RunReport(
            target: configuration.target.description, profile: profile, parameters: parameters,
            strict: configuration.strict, seed: configuration.seed, startedAt: startedAt,
            durationMilliseconds: ScriptedExchange.milliseconds(Deadline.now - started),
            results: ordered, assessment: assessment, warnings: warnings)
    }

    /// basic.exchange, lifecycle.close, format.single-write, lifecycle.keeps-serving.
    /// Returns false when the target cannot be reached at all (exit 69).
    func runBasicPhase() -> Bool {
        let basic = definition(BuiltinChecks.basic)
        announce(basic, "connecting, waiting up to \(Self.seconds(configuration.answerTimeout)) for an answer")
        let (outcome, judgement, basicCutShort) = normalExchange(check: basic.id)
        if let error = outcome.connectError {
            warnings.append("\(configuration.target) could not be reached: \(error.description)")
            return false
        }
        let answerRequirement = ResponseJudge.governingRequirement(for: normalRequest, parameters: parameters)
        let expected = ExpectedAnswer.forRequest(normalRequest, parameters: parameters).summary
        if isSelected(basic), basicCutShort {
            recordCutShort(basic, waited: outcome.elapsed)
        } else if isSelected(basic) {
            let found = findings(for: outcome, judgement, answerRequirement: answerRequirement)
            record(basic, findings: found, message: "answered \(ByteEscaping.escape(outcome.response))",
                   expected: expected, transcripts: [outcome.transcript], duration: outcome.elapsed)
        } else {
            recordStatus(basic, .skip, VerdictAssessment.deselectedMessage)
        }

        let close = definition(BuiltinChecks.close)
        if mayRun(close) {
            var closeFindings: [Finding] = []
            switch outcome.end {
            case .noClose:
                closeFindings.append(Finding("CORE-3", "the server did not close within \(Int(ScriptedExchange.milliseconds(closeWait))) ms after its response"))
                // From now on a response ends at the client's quiet time: the fault is named once.
                closeWait = .milliseconds(Limits.responseQuietMilliseconds + 50)
            case .silence:
                closeFindings.append(Finding("CORE-3", "no response, so no close after one"))
            default: break
            }
            record(close, findings: closeFindings, message: "closed after the response (\(outcome.end.rawValue))",
                   transcripts: [outcome.transcript], duration: outcome.elapsed)
        }

        let single = definition(BuiltinChecks.singleWrite)
        if mayRun(single) {
            var found: [Finding] = []
            if outcome.firstReadCount < outcome.response.count {
                found.append(Finding("CORE-5", "the first read returned \(outcome.firstReadCount) of \(outcome.response.count) bytes: a one-recv client would see a partial answer"))
            }
            record(single, findings: found, message: "the whole response arrived in one read", transcripts: [outcome.transcript])
        }

        let keeps = definition(BuiltinChecks.keepsServing)
        if mayRun(keeps) {
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
                    serverGoneAfter = basic.id
                    break
                }
                let problems = findings(for: next, nextJudgement, answerRequirement: answerRequirement)
                if let first = problems.first {
                    found.append(Finding("CORE-9", "connection \(attempt + 1) was not served correctly: \(first.message)"))
                    break
                }
            }
            if let waited = keepsCutShort, found.isEmpty {
                recordCutShort(keeps, waited: waited)
                return true
            }
            record(keeps, findings: found, message: "3 more connections were served", transcripts: transcripts, duration: Deadline.now - started)
            if !found.isEmpty, serverGoneAfter != nil { serverGoneAfter = keeps.id }
        }
        return true
    }

    func orderedFixtures(destructive: Bool) -> [Fixture] {
        catalog.fixtures.filter { $0.destructive == destructive }.sorted { ($0.order, $0.id) < ($1.order, $1.id) }
    }

    // MARK: - Fixtures

    func runFixture(_ fixture: Fixture) {
        let definition = fixture.definition
        guard mayRun(definition) else { return }
        announce(definition)
        var answerTiming = timing
        if let within = fixture.answerWithinMilliseconds {
            answerTiming.answer = min(.milliseconds(within), silentStreak >= 3 ? Self.silentAnswerWait : configuration.answerTimeout * 3)
            answerTiming.cutByRunDeadline = false
            clampToRunDeadline(&answerTiming)
        }
        let expected = fixture.expectedAnswer(parameters: parameters)
        let readResponse = !fixture.steps.contains(.reset)
        var outcome = ScriptedExchange.run(fixture.steps, readResponse: readResponse, target: configuration.target, timing: answerTiming)
        // An early answer after a pause the checker itself stretched past 20 ms proves nothing:
        // retry, and if the machine stays too busy to send on time, do not judge.
        var attempts = 1
        while outcome.connected, !(outcome.spokeEarly + outcome.answeredEarly).isEmpty,
              outcome.longestSendGap >= .milliseconds(Limits.requestQuietRangeMilliseconds.lowerBound) {
            guard attempts < 3 else {
                recordStatus(definition, .notJudged, "not judged: the checker could not send the request's pieces within 20 ms of each other (longest pause \(Int(ScriptedExchange.milliseconds(outcome.longestSendGap))) ms); the machine is too busy", checkerLimited: true)
                lastCheckRun = definition.id
                return
            }
            attempts += 1
            outcome = ScriptedExchange.run(fixture.steps, readResponse: readResponse, target: configuration.target, timing: answerTiming)
        }
        noteAnswered(outcome)
        if noteRefused(outcome, during: definition.id) {
            recordStatus(definition, .notJudged, "not judged: the server stopped accepting connections after \(serverGoneAfter ?? "an earlier check")")
            return
        }
        if silenceCutShort(outcome, answerTiming), let expected, expected != .nothing {
            recordCutShort(definition, waited: outcome.elapsed)
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
            if !outcome.response.isEmpty { responses.append((definition.id, outcome.transcript, judgement)) }
            switch outcome.end {
            case .silence where expected != .nothing:
                let within = Int(ScriptedExchange.milliseconds(answerTiming.answer))
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
                recordCutShort(definition, waited: after.elapsed)
                return
            } else if afterCutShort {
                // The input's own fault stands; whether the server still serves is undecided.
            } else if let error = after.connectError {
                found.append(Finding("ROBUST-1", "the server stopped accepting connections after this input (\(error.description))"))
                serverGoneAfter = definition.id
            } else {
                let problems = findings(for: after, afterJudgement, answerRequirement: ResponseJudge.governingRequirement(for: normalRequest, parameters: parameters))
                if let first = problems.first {
                    found.append(Finding("ROBUST-1", "the next normal exchange failed: \(first.message)"))
                }
            }
        }
        let got = outcome.end == .notRead ? "connection reset by the client" : "answered \(ByteEscaping.escape(outcome.response)) (\(outcome.end.rawValue))"
        record(definition, findings: found, message: got, expected: expected?.summary, transcripts: transcripts, duration: outcome.elapsed)
    }

    // MARK: - Concurrency and deadlines

    /// ROBUST-2: with one client connected and silent, another client must still be answered.
    func runIdleClientPhase() {
        let check = definition(BuiltinChecks.idleClient)
        guard mayRun(check) else { return }
        announce(check, "one client idle, another waiting up to 1 s")
        let started = Deadline.now
        let idle: Connection
        do {
            idle = try Connection.connect(to: configuration.target, deadline: .after(configuration.connectTimeout))
        } catch {
            _ = noteRefused(ExchangeOutcome(transcript: Transcript(), connectError: error), during: check.id)
            recordStatus(check, .notJudged, "not judged: \(error.description)")
            return
        }
        var patient = timing
        patient.answer = .seconds(1)
        let outcome = ScriptedExchange.run(normalSteps, readResponse: true, target: configuration.target, timing: patient)
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
        record(check, findings: found, message: "answered in \(Int(ScriptedExchange.milliseconds(outcome.elapsed))) ms while another client sat idle",
               transcripts: [outcome.transcript], duration: Deadline.now - started)
    }

    final class DeadlineProbe: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var closedAfter: Duration?
        /// How long the probe may wait: less than LIMIT-2's bound when the run deadline is nearer.
        var waitLimit: Duration = .zero
        let started = Deadline.now
        var error: String?
        var transcript = Transcript()
    }

    /// LIMIT-2 runs in the background on a server that serves clients concurrently (it costs up
    /// to 10 s); on a serial server it runs last, where its silent connection blocks no one.
    func startConnectionDeadlineInBackground() -> DeadlineProbe? {
        let check = definition(BuiltinChecks.connectionDeadline)
        guard catalog.builtins.contains(where: { $0.id == check.id }), isSelected(check) else { return nil }
        guard results[BuiltinChecks.idleClient.id]?.status == .pass else { return nil }
        return launchDeadlineProbe()
    }

    func launchDeadlineProbe() -> DeadlineProbe {
        let probe = DeadlineProbe()
        let target = configuration.target
        let connectTimeout = configuration.connectTimeout
        let limit = min(configuration.connectionDeadlineLimit, max(runDeadline - Deadline.now, .milliseconds(100)))
        probe.waitLimit = limit
        let thread = Thread {
            let start = Deadline.now
            defer { probe.done.signal() }
            do {
                let connection = try Connection.connect(to: target, deadline: .after(connectTimeout))
                defer { connection.close() }
                probe.transcript.localPort = connection.localAddress?.port
                let until = start.adding(limit)
                while true {
                    switch connection.read(maxBytes: 2048, deadline: until) {
                    case .data:
                        // A read past its deadline still returns waiting bytes: a flooding
                        // server would keep this loop going forever without this check.
                        if until.hasPassed { return }
                        continue
                    case .eof, .reset:
                        probe.closedAfter = Deadline.now - start
                        return
                    case .timeout:
                        return
                    case let .failed(error):
                        probe.error = error.description
                        return
                    }
                }
            } catch {
                probe.error = "\(error)"
            }
        }
        thread.start()
        return probe
    }

    func finishConnectionDeadline(_ background: DeadlineProbe?) {
        let check = definition(BuiltinChecks.connectionDeadline)
        guard catalog.builtins.contains(where: { $0.id == check.id }) else { return }
        guard mayRun(check) else { return }
        let probe = background ?? launchDeadlineProbe()
        let waitingUntil = probe.started.adding(probe.waitLimit)
        if !waitingUntil.hasPassed {
            announce(check, "waiting up to \(Self.seconds(waitingUntil - Deadline.now)) for the server to close a silent connection")
        }
        probe.done.wait()
        let limitMs = Int(ScriptedExchange.milliseconds(configuration.connectionDeadlineLimit))
        if let error = probe.error {
            recordStatus(check, .notJudged, "not judged: \(error)")
        } else if let closed = probe.closedAfter {
            record(check, findings: [], message: "a silent connection was closed after \(Int(ScriptedExchange.milliseconds(closed))) ms")
        } else if probe.waitLimit < configuration.connectionDeadlineLimit {
            // Still open when a shortened wait ended proves nothing about LIMIT-2.
            recordStatus(check, .notJudged, "not judged: the run's \(Int(ScriptedExchange.milliseconds(configuration.runDeadline) / 1000)) s deadline ended the wait for the server to close a silent connection after \(Int(ScriptedExchange.milliseconds(probe.waitLimit))) ms; \(limitMs) ms are needed; raise --run-timeout", checkerLimited: true)
        } else {
            record(check, findings: [Finding("LIMIT-2", "a connection that sent nothing was still open after \(limitMs) ms")],
                   message: "", transcripts: [probe.transcript])
        }
    }

    // MARK: - Whole-run checks

    func runWholeRunFormatChecks() {
        let check = definition(BuiltinChecks.noTrailingNewline)
        guard mayRun(check, needsTime: false) else { return }
        let offending = responses.filter { $0.judgement.terminator != .none }
        if let first = offending.first {
            record(check, findings: [Finding("CORE-6", "\(offending.count) of \(responses.count) responses end with \(first.judgement.terminator == .lf ? "LF" : "CRLF"), e.g. \(ByteEscaping.escape(first.judgement.raw)) in \(first.check)")],
                   message: "", transcripts: [first.transcript])
        } else if responses.isEmpty {
            recordStatus(check, .notJudged, "not judged: no response was received")
        } else {
            record(check, findings: [], message: "none of \(responses.count) responses ends with LF or CRLF")
        }
    }
}

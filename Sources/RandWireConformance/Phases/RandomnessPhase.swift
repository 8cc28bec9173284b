#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireProtocol
import RandWireSocket
import RandWireStatistics
import Synchronization

/// What the sampling phase gathered: valid values in arrival order, and the failures.
struct Sample: Sendable {
    var batches: [[Int]] = []
    var attempts = 0
    /// Answers that arrived but break the grammar or the range: evidence against the server.
    var failures: [(Transcript, Finding)] = []
    /// Exchanges that got no answer at all (refused, silent, reset): a small listen backlog
    /// under parallel load does this, so they are retried sequentially, not held against it.
    var unanswered: [(Transcript, String)] = []
    var stoppedEarly = false
    var narrowed = false
    /// Sampling ran out of the time it was given before it had all its values.
    var stoppedByBudget = false
    /// Connects refused or timed out since the last answer: retried, backing off.
    var unansweredInARow = 0
    /// Connections accepted that got no answer.
    var acceptedUnanswered = 0

    var values: [Int] { batches.flatMap { $0 } }
}

extension ConformanceRunner {
    var randomDefinitions: [CheckDefinition] {
        let ids: [CheckDefinition] = [
            BuiltinChecks.sampleFormat, BuiltinChecks.uniformity, BuiltinChecks.endpoints,
            BuiltinChecks.serialCorrelation, BuiltinChecks.adjacentRepeats, BuiltinChecks.longestRun,
            BuiltinChecks.batchDuplicates, BuiltinChecks.batchSorted, BuiltinChecks.positions, BuiltinChecks.identicalBatches,
        ]
        return ids.compactMap { wanted in catalog.builtins.first { $0.id == wanted.id } }
    }

    /// Connections needed for `values` values.
    func connectionsFor(values: Int) -> Int {
        profile == .csv ? (values + parameters.count - 1) / parameters.count : values
    }

    func runRandomnessPhase() {
        guard profile.isRandom else { return }
        let definitions = randomDefinitions.filter { ledger.mayRun($0) }
        guard !definitions.isEmpty else { return }
        let batchSize = profile == .csv ? parameters.count : 1
        let wanted = configuration.samples ?? SampleSizing.recommendedSampleCount(min: parameters.min, max: parameters.max, batchSize: batchSize)
        announce(definitions[0], "sampling \(wanted) values over \(configuration.parallelism) parallel connections")
        let started = Deadline.now
        let sample = gather(connections: connectionsFor(values: wanted))
        let elapsed = Deadline.now - started

        if let format = definitions.first(where: { $0.id == BuiltinChecks.sampleFormat.id }) {
            var found: [Finding] = []
            // Every distinct fault of the sample, with how often it was seen: a server can be
            // wrong in more than one way, and only the first would otherwise be named.
            var classes: [(finding: Finding, count: Int, example: Transcript)] = []
            for (transcript, finding) in sample.failures {
                let key = finding.fault ?? finding.message
                if let index = classes.firstIndex(where: { ($0.finding.fault ?? $0.finding.message) == key }) {
                    classes[index].count += 1
                } else {
                    classes.append((finding, 1, transcript))
                }
            }
            for (finding, count, _) in classes {
                found.append(Finding(finding.requirement, "\(count) of \(sample.attempts) sampled exchanges: \(finding.message)", fault: finding.fault))
            }
            if found.isEmpty && sample.stoppedEarly && sample.batches.count < sample.unanswered.count, let first = sample.unanswered.first {
                found.append(Finding("CORE-9", "the server stopped answering while being sampled: \(sample.unanswered.count) of \(sample.attempts) exchanges unanswered, even one at a time (\(first.1))"))
            }
            var notes = ""
            if !sample.unanswered.isEmpty {
                notes += "; \(sample.unanswered.count) exchanges got no answer (\(sample.unanswered[0].1))"
                if sample.narrowed { notes += ", so sampling continued one connection at a time" }
            }
            if sample.stoppedEarly { notes += "; sampling stopped early after repeated failures" }
            if let died = deathFinding(after: format, input: "the sampling exchanges", endedUnanswered: false) { found.append(died) }
            ledger.record(format, findings: found, message: "\(sample.batches.count) of \(sample.attempts) exchanges answered, all well-formed and in range" + notes,
                   transcripts: (classes.prefix(3).map(\.example) + sample.unanswered.prefix(2).map(\.0)), duration: elapsed)
        }

        let statistical = definitions.filter { $0.id != BuiltinChecks.sampleFormat.id }
        let minimum = profile == .csv ? 20 * batchSize : 30
        guard sample.values.count >= minimum else {
            for definition in statistical {
                if wanted < minimum {
                    ledger.recordStatus(definition, .notJudged, "not judged: only \(sample.values.count) valid values were gathered (\(minimum) needed); raise --samples", checkerLimited: true)
                } else if sample.stoppedByBudget && sample.failures.isEmpty {
                    ledger.recordStatus(definition, .notJudged, "not judged: the time sampling may take (half of what the run had left) ended it after \(sample.values.count) valid values (\(minimum) needed); raise --run-timeout", checkerLimited: true)
                } else {
                    ledger.recordStatus(definition, .notJudged, "not judged: only \(sample.values.count) valid values were gathered (\(minimum) needed)")
                }
            }
            return
        }
        var resample: Sample?
        for definition in statistical {
            guard var result = statistic(definition.id, sample) else {
                ledger.recordStatus(definition, .skip, "not decidable at n = \(sample.values.count) for \(parameters.min)...\(parameters.max): see the spec, section 7")
                continue
            }
            var statistics = [result]
            var used = sample
            if result.verdict == .ambiguous {
                // dieharder's rule: an ambiguous p draws one fresh, larger sample before deciding.
                if resample == nil, Deadline.now < runDeadline {
                    progress("ambiguous \(definition.id) (p = \(result.pValue)); drawing a fresh sample of \(2 * wanted)")
                    resample = gather(connections: connectionsFor(values: 2 * wanted))
                }
                if let fresh = resample, fresh.values.count >= minimum, let second = statistic(definition.id, fresh) {
                    result = second
                    statistics.append(second)
                    used = fresh
                }
            }
            var found: [Finding] = []
            if result.verdict == .fail {
                found.append(Finding(definition.requirements[0], result.summary))
            }
            let note = result.verdict == .ambiguous ? " (still ambiguous after a fresh sample: passed, with this noted)" : ""
            ledger.record(definition, findings: found, message: result.summary + note, statistics: statistics,
                   samples: used.batches.count <= 20_000 ? used.batches : nil, duration: elapsed)
        }
    }

    func statistic(_ id: String, _ sample: Sample) -> StatResult? {
        let (min, max) = (parameters.min, parameters.max)
        switch id {
        case BuiltinChecks.uniformity.id: return RandomnessTests.uniformity(sample.values, min: min, max: max)
        case BuiltinChecks.endpoints.id: return RandomnessTests.endpoints(sample.values, min: min, max: max)
        case BuiltinChecks.serialCorrelation.id: return min == max ? nil : RandomnessTests.serialCorrelation(sample.values)
        case BuiltinChecks.adjacentRepeats.id: return min == max ? nil : RandomnessTests.adjacentRepeats(sample.values, min: min, max: max)
        case BuiltinChecks.longestRun.id: return min == max ? nil : RandomnessTests.longestRun(sample.values, min: min, max: max)
        case BuiltinChecks.batchDuplicates.id: return RandomnessTests.batchDuplicates(sample.batches, min: min, max: max)
        case BuiltinChecks.batchSorted.id: return RandomnessTests.batchSorted(sample.batches, min: min, max: max)
        case BuiltinChecks.positions.id: return RandomnessTests.positionExchangeability(sample.batches, min: min, max: max)
        case BuiltinChecks.identicalBatches.id: return RandomnessTests.identicalBatches(sample.batches, min: min, max: max)
        default: return nil
        }
    }

    /// Gathers answers over parallel connections, in arrival order. Stops early when most
    /// exchanges fail, so a broken server costs seconds, not thousands of timeouts.
    func gather(connections total: Int) -> Sample {
        final class Shared: Sendable {
            let lock = Mutex<Sample>(Sample())
            let next = Atomic<Int>(0)
            let stop = Atomic<Bool>(false)
            /// Set after the first unanswered exchange: only worker 0 goes on.
            let narrow = Atomic<Bool>(false)
            /// Valid answers so far: the loop ends when `total` have arrived, not when
            /// `total` were attempted, so retried exchanges still count.
            let answered = Atomic<Int>(0)
        }
        let shared = Shared()
        let target = self.target
        let steps = normalSteps
        let request = normalRequest
        let parameters = self.parameters
        var sampleTiming = self.timing.current
        // A server already known not to close (CORE-3 failed) would make every sample wait out
        // the close wait; its answers are written at once, so a short quiet ends them. A server
        // that closes ends each answer itself: wait for that, even if its writes are slow.
        if ledger[BuiltinChecks.close.id]?.status == .fail {
            sampleTiming.closeWait = min(sampleTiming.closeWait, .milliseconds(100))
        }
        let timing = sampleTiming
        // Sampling gets half of the time left, so the destructive fixtures after it still run.
        let deadline = Deadline.now.adding((runDeadline - Deadline.now) / 2)
        // A server that serves one client at a time is sampled one connection at a time: in
        // parallel, its small backlog times connects out and the sample would end early.
        let serial = ledger[BuiltinChecks.idleClient.id].map { $0.status == .warn || $0.status == .fail } ?? false
        let workers = serial ? 1 : Swift.max(1, Swift.min(configuration.parallelism, total))
        let attemptLimit = total * 2 + 20
        _ = FanOut.map(workers, width: workers, name: "randwire-sample", stackSize: 512 << 10) { worker in
                while !shared.stop.load(ordering: .relaxed), Deadline.now < deadline {
                    if worker > 0 && shared.narrow.load(ordering: .relaxed) { return }
                    guard shared.answered.load(ordering: .relaxed) < total else { return }
                    let index = shared.next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < attemptLimit else { return }
                    let outcome = ScriptedExchange.run(steps, readResponse: true, target: target, timing: timing)
                    let judgement = ResponseJudge.judge(outcome.response, request: request, parameters: parameters)
                    let backoff = shared.lock.withLock { sample -> Duration in
                        sample.attempts += 1
                        if outcome.connectError == nil && !outcome.response.isEmpty { sample.unansweredInARow = 0 }
                        if let error = outcome.connectError {
                            sample.unanswered.append((outcome.transcript, "connect: \(error.description)"))
                            sample.unansweredInARow += 1
                        } else if outcome.response.isEmpty {
                            sample.unanswered.append((outcome.transcript, outcome.end == .silence ? "no answer within the timeout" : "closed without an answer"))
                            sample.acceptedUnanswered += 1
                        } else if !judgement.isAcceptable {
                            let finding = judgement.findings.first { $0.level == .must } ?? Finding("CORE-4", judgement.problem ?? "malformed")
                            sample.failures.append((outcome.transcript, Finding(finding.requirement, "got \(ByteEscaping.escape(outcome.response)): \(finding.message)", fault: finding.fault)))
                        } else if case let .numbers(numbers) = judgement.value {
                            if sample.batches.count < total { sample.batches.append(numbers) }
                            shared.answered.store(sample.batches.count, ordering: .relaxed)
                        }
                        if !sample.unanswered.isEmpty && !sample.narrowed {
                            sample.narrowed = true
                            shared.narrow.store(true, ordering: .relaxed)
                        }
                        // Malformed answers are evidence: many of them end sampling. Unanswered
                        // connects are retried one at a time, backing off; only a long run of
                        // them means the server has stopped answering.
                        // A connection accepted and not answered is the server's doing, like a
                        // malformed answer; a refused or timed-out connect may be its backlog.
                        let bad = sample.failures.count + sample.acceptedUnanswered
                        if (bad >= 10 && bad * 2 >= sample.attempts) || sample.unansweredInARow >= 10 {
                            sample.stoppedEarly = true
                            shared.stop.store(true, ordering: .relaxed)
                        }
                        return sample.unansweredInARow == 0 ? .zero : .milliseconds(min(1000, 25 << min(sample.unansweredInARow, 6)))
                    }
                    if backoff > .zero { Platform.sleep(untilMonotonic: Deadline.after(backoff).nanoseconds) }
                }
        }
        var sample = shared.lock.withLock { $0 }
        // Out of time while the server was answering: the checker's limit, not the server's fault.
        sample.stoppedByBudget = deadline.hasPassed && !sample.stoppedEarly && sample.batches.count < total
            && sample.unanswered.count < sample.batches.count
        return sample
    }
}

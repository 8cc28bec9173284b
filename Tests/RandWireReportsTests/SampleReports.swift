@testable import RandWireConformance
import RandWireProtocol
import RandWireStatistics

/// Hand-built run reports covering every status, binary evidence and XML-hostile text.
enum SampleReports {
    static let hostile = "tag <b> & \"quote\" 'apos' \u{01}\u{1B}[31m ]]> #hash \\ back"

    static let close = CheckDefinition(id: "lifecycle.close", title: "The server closes the connection after its response",
                                       level: .must, requirements: ["CORE-3"], profiles: [.request])
    static let trailing = CheckDefinition(id: "format.no-trailing-newline", title: "Responses carry no trailing LF or CRLF",
                                          level: .should, requirements: ["CORE-6"], profiles: [.request])
    static let hostileCheck = CheckDefinition(id: "request.hostile", title: "Answers a request full of <&\"'> and binary",
                                              level: .must, requirements: ["REQ-1", "CORE-8"], profiles: [.request])
    static let uniformity = CheckDefinition(id: "random.uniformity", title: "Values are uniform over [min, max] (chi-square)",
                                            level: .must, requirements: ["RAND-1"], profiles: [.request])
    static let endpoints = CheckDefinition(id: "random.endpoints", title: "Both ends of the range are reached",
                                           level: .must, requirements: ["RAND-1"], profiles: [.request])
    static let framing = CheckDefinition(id: "framing.no-lf", title: "An unterminated request is answered after the quiet time",
                                         level: .must, requirements: ["FRAME-3"], profiles: [.request])
    static let deadline = CheckDefinition(id: "limit.connection-deadline", title: "A connection that never sends a request is closed within 10 s",
                                          level: .should, requirements: ["LIMIT-2"], profiles: [.request])
    static let keeps = CheckDefinition(id: "lifecycle.keeps-serving", title: "The server keeps serving new connections after an exchange",
                                       level: .must, requirements: ["CORE-9", "CORE-2"], profiles: [.request])
    static let parity = CheckDefinition(id: "parity.eleven-digits", title: "Eleven digits are too long",
                                        level: .must, requirements: ["PARITY-2"], profiles: [.parity])

    static func stat(_ test: String, p: Double, verdict: StatVerdict) -> StatResult {
        StatResult(test: test, n: 2000, statistic: 14.2, statisticName: "chi-square (df 10)", pValue: p,
                   verdict: verdict, detectable: "a 6% deviation in one cell",
                   summary: "\(test): chi-square 14.2 (df 10), p = \(p), n = 2000: no evidence of bias at this power")
    }

    static func transcript(port: UInt16, sent: [UInt8]?, received: [UInt8], ending: TranscriptEvent.Kind = .eof) -> Transcript {
        var events = [TranscriptEvent(atMilliseconds: 0, kind: .connect)]
        if let sent { events.append(TranscriptEvent(atMilliseconds: 0.4, kind: .sent, bytes: sent)) }
        events.append(TranscriptEvent(atMilliseconds: 1.2, kind: .received, bytes: received))
        events.append(TranscriptEvent(atMilliseconds: 12.5, kind: ending))
        return Transcript(localPort: port, events: events)
    }

    static func results() -> [CheckResult] {
        var results: [CheckResult] = []
        results.append(CheckResult(definition: close, status: .pass, message: "closed 0.3 ms after the response",
                                   transcripts: [transcript(port: 50001, sent: Array("hi\n".utf8), received: Array("42".utf8))],
                                   durationMilliseconds: 12.5))
        results.append(CheckResult(definition: trailing, status: .warn, message: "trailing LF after the response",
                                   expected: "no LF or CRLF after the number",
                                   findings: [Finding("CORE-6", "trailing LF after the response")],
                                   transcripts: [transcript(port: 50002, sent: Array("hi\n".utf8), received: Array("15\n".utf8))],
                                   durationMilliseconds: 3))
        results.append(CheckResult(definition: hostileCheck, status: .fail, message: hostile,
                                   expected: "a number in 1...10000 " + hostile,
                                   findings: [Finding("REQ-1", "got " + hostile), Finding("CORE-8", "not UTF-8: \u{00}\u{07}")],
                                   transcripts: [
                                    transcript(port: 50003, sent: [0x3C, 0x26, 0x00, 0xFF, 0x1B, 0x0A], received: [0x00, 0xFF, 0x3C, 0x26, 0x1B, 0x5D, 0x5D, 0x3E]),
                                    transcript(port: 50004, sent: nil, received: [], ending: .reset),
                                    transcript(port: 50005, sent: nil, received: [], ending: .timeout),
                                    transcript(port: 50006, sent: nil, received: [], ending: .timeout),
                                   ],
                                   durationMilliseconds: 40))
        var ambiguous = CheckResult(definition: uniformity, status: .pass, message: "uniformity passed after a fresh sample",
                                    statistics: [stat("uniformity", p: 2e-4, verdict: .ambiguous), stat("uniformity", p: 0.41, verdict: .pass)],
                                    samples: [[1], [2], [3]], durationMilliseconds: 900)
        ambiguous.message = ambiguous.statistics[1].summary
        results.append(ambiguous)
        let failedStat = stat("endpoints", p: 1e-9, verdict: .fail)
        results.append(CheckResult(definition: endpoints, status: .fail, message: failedStat.summary,
                                   findings: [Finding("RAND-1", failedStat.summary)], statistics: [failedStat], durationMilliseconds: 1))
        results.append(CheckResult(definition: framing, status: .skip, message: "deselected by --only/--skip"))
        results.append(CheckResult(definition: deadline, status: .notJudged,
                                   message: "not judged: the server stopped accepting connections after request.hostile"))
        var known = CheckResult(definition: keeps, status: .fail, message: "the second connection was refused",
                                findings: [Finding("CORE-9", "connection refused")], durationMilliseconds: 2)
        known.knownFailure = true
        results.append(known)
        return results
    }

    static let split = CheckDefinition(id: "framing.split", title: "A request written in two pieces is answered once, after the second",
                                       level: .must, requirements: ["FRAME-4"], profiles: [.request])
    static let serial = CheckDefinition(id: "random.serial-correlation", title: "Consecutive values are uncorrelated (lag-1)",
                                        level: .must, requirements: ["RAND-2"], profiles: [.request])

    /// FRAME-4 failed: the answer arrived 5 ms after the first piece, 50 ms before the second.
    static func splitFailure() -> CheckResult {
        let events = [
            TranscriptEvent(atMilliseconds: 0, kind: .connect),
            TranscriptEvent(atMilliseconds: 0.3, kind: .sent, bytes: Array("Exam".utf8)),
            TranscriptEvent(atMilliseconds: 5.4, kind: .received, bytes: Array("17".utf8)),
            TranscriptEvent(atMilliseconds: 55.6, kind: .sent, bytes: Array("ple <script>\"\n".utf8)),
            TranscriptEvent(atMilliseconds: 56.1, kind: .reset),
        ]
        return CheckResult(definition: split, status: .fail, message: "answered after the first piece, before the request was complete",
                           expected: "one answer, after the second piece", findings: [Finding("FRAME-4", "answered \"17\" 50 ms before the second piece")],
                           transcripts: [Transcript(localPort: 50010, events: events)], durationMilliseconds: 56.1)
    }

    /// `count` values of a generator that makes 10...15 twice as likely as 16...20 (the
    /// issue's skewed server), in a deterministic order.
    static func skewed(count: Int) -> [Int] {
        let weighted = Array(10...15) + Array(10...15) + Array(16...20)
        return (0..<count).map { weighted[($0 &* 7919 &+ $0 / 3) % weighted.count] }
    }

    /// Randomness checks with their samples kept: a failed uniformity test on the skewed
    /// generator and a passed lag-1 test.
    static func randomness(values: [Int]) -> [CheckResult] {
        let fail = StatResult(test: "uniformity", n: values.count, statistic: 412.5, statisticName: "chi-square (df 10)", pValue: 3e-80,
                              verdict: .fail, detectable: "a 6% deviation in one cell", summary: "uniformity: chi-square 412.5 (df 10), p = 3e-80: biased <script>")
        let pass = StatResult(test: "serial-correlation", n: values.count, statistic: -0.01, statisticName: "lag-1 r", pValue: 0.6,
                              verdict: .pass, detectable: "|r| above 0.05", summary: "lag-1 r = -0.01, p = 0.6: no dependence")
        return [
            CheckResult(definition: uniformity, status: .fail, message: fail.summary, findings: [Finding("RAND-1", fail.summary)],
                        statistics: [fail], samples: values.map { [$0] }, durationMilliseconds: 800),
            CheckResult(definition: serial, status: .pass, message: pass.summary, statistics: [pass], samples: values.map { [$0] }),
        ]
    }

    static func report(results: [CheckResult] = results(), unreachable: Bool = false,
                       parameters: ProfileParameters = Profile.request.defaultParameters) -> RunReport {
        RunReport(
            target: "127.0.0.1:8000", profile: parameters.profile, parameters: parameters, strict: false,
            seed: 42, startedAt: "2026-11-23T11:00:00Z", durationMilliseconds: 3456.7, results: results,
            assessment: VerdictAssessment.assess(results: results, strict: false, unreachable: unreachable, narrowed: false),
            warnings: ["a note with <xml> & \u{1B} escape"])
    }

    /// A conformant run: only passes, warns and skips.
    static func conformantReport() -> RunReport {
        report(results: results().filter { $0.status == .pass || $0.status == .warn || $0.status == .skip })
    }
}

import RandWireProtocol
import RandWireSocket

/// Decides one client check from what the harness observed (spec section 10.1): what the
/// client printed, its exit status, and when it finished. Never claims more than was seen: a
/// looping client's exit status is not judged, a bound cut short by the run is not a hang.
enum ClientJudge {
    /// The fault shape of a client still running at the bound: one missing deadline, however
    /// many checks show it (section 11.1).
    static let hangFault = "client-hang"
    /// The fault shape of a client that took a response it must reject as its answer.
    static let acceptedFault = "client-accepted"

    static func judge(_ fixture: ClientFixture, _ observation: ClientObservation, configuration: ClientRunConfiguration) -> CheckResult {
        let definition = fixture.definition
        if let reason = observation.notJudged {
            return CheckResult(definition: definition, status: .notJudged, message: "not judged: \(reason)")
        }
        let output = observation.standardOutput
        let answer = String(decoding: observation.answer, as: UTF8.self)
        let seconds = Int(observation.bound.inSeconds.rounded())
        let exitText = observation.exit.map(ClientJudge.describeExit) ?? (observation.looping ? "stopped after its first exchange" : "stopped")
        let hung = observation.exit == nil && !observation.looping
            || (observation.looping && observation.finishedAt == nil && observation.reconnected == false
                && [.giveUp, .answerWithoutClose].contains(fixture.expectation))
        let exitedZero = observation.exit == .exited(0)
        let oneExchange = !observation.looping
        let printedAnswer = prints(answer, in: output, format: configuration.expectOutput)
        var findings: [Finding] = []
        let primary = fixture.requirements[0]

        if hung {
            if observation.cutShort {
                var result = CheckResult(definition: definition, status: .notJudged,
                                         message: "not judged: the run's deadline ended the wait after \(seconds) s, before the client's bound")
                result.checkerLimited = true
                result.transcripts = [observation.transcript]
                return result
            }
            let what = switch fixture.end {
            case .hold where observation.response.isEmpty: "connecting to a server that never answers: it has no read deadline"
            case .hold: "an answer from a server that never closes: it has no deadline on the exchange"
            default: "the server's \(fixture.end == .reset ? "reset" : "close")"
            }
            findings.append(Finding("LIMIT-3", "the client was still running \(seconds) s after \(what)", fault: hangFault))
        } else {
            switch fixture.expectation {
            case .answer:
                if !printedAnswer {
                    findings.append(Finding(primary, "the client did not print the answer \(ByteEscaping.escape(observation.answer)); "
                                            + "it printed \(ByteEscaping.escape(Array(output.utf8), limit: 120)) and \(exitText)"))
                } else if oneExchange && !exitedZero {
                    findings.append(Finding(primary, "the client printed the answer but \(exitText): a valid answer is a success (exit 0)"))
                }
            case .reportAnswer:
                if !prints(answer, in: output + "\n" + observation.standardError, format: nil) {
                    findings.append(Finding(primary, "the client did not report the answer \(ByteEscaping.escape(observation.answer)) it received before the reset; "
                                            + "it printed \(ByteEscaping.escape(Array((output + observation.standardError).utf8), limit: 120)) and \(exitText)"))
                }
            case .reject:
                let placeholders = ClientPlaceholders(answer: answer, parameters: configuration.parameters)
                let response = String(decoding: observation.response, as: UTF8.self)
                let markers = [String(response.trimmingWhitespace(newlines: true).prefix(1000))] + fixture.acceptedIf.map(placeholders.substitute)
                let printed = markers.first { marker in
                    if marker.isEmpty { return configuration.expectOutput.map { prints("", in: output, format: $0) } ?? false }
                    // A long response printed in part (the first 1024 octets of one recv) is
                    // taken all the same, whatever the format around it.
                    if marker.count >= 1000 { return output.contains(marker) }
                    return prints(marker, in: output, format: configuration.expectOutput)
                }
                if !oneExchange && markers.allSatisfy(\.isEmpty) && configuration.expectOutput == nil {
                    var result = CheckResult(definition: definition, status: .notJudged,
                                             message: "not judged: a looping client's exit status is not seen, and an empty response leaves nothing to look for in its output; give --expect-output to judge it")
                    result.transcripts = [observation.transcript]
                    return result
                }
                if let printed, printed.isEmpty, oneExchange ? exitedZero : true {
                    findings.append(Finding(primary, "the client printed an empty answer (a line \(describe(configuration.expectOutput?.replacing("{answer}", with: "") ?? ""))) for a response without a byte\(oneExchange ? " and exited 0" : "")",
                                            fault: acceptedFault))
                } else if let printed, oneExchange ? exitedZero : true {
                    findings.append(Finding(primary, "the client printed \(describe(printed)) as its answer\(oneExchange ? " and exited 0" : ""): "
                                            + "the response \(ByteEscaping.escape(observation.response, limit: 60)) is not a valid \(configuration.parameters.profile) answer",
                                            fault: acceptedFault))
                } else if oneExchange && exitedZero {
                    let what = observation.response.isEmpty ? "an empty response" : "the response \(ByteEscaping.escape(observation.response, limit: 60))"
                    findings.append(Finding("CLIENT-3", "the client exited 0 after \(what), which it must reject: a rejection is a non-zero exit status"))
                }
            case .giveUp:
                if oneExchange && exitedZero {
                    findings.append(Finding("CLIENT-3", "the client gave up on a server that never answered but exited 0: no answer is a failure (non-zero exit)"))
                } else if printedAnswer {
                    findings.append(Finding("CLIENT-3", "the client printed an answer though the server sent nothing"))
                }
            case .answerWithoutClose:
                let second = fixture.requirements.count > 1 ? fixture.requirements[1] : primary
                if !printedAnswer {
                    findings.append(Finding(second, "the client finished without printing the answer \(ByteEscaping.escape(observation.answer)) of a server that did not close; it printed \(ByteEscaping.escape(Array(output.utf8), limit: 80))"))
                } else if let sent = observation.answerSentAt, let finished = observation.finishedAt,
                          finished - sent > .milliseconds(fixture.withinMilliseconds) {
                    findings.append(Finding(second, "the client took \(Int((finished - sent).inMilliseconds)) ms after the answer to finish, more than \(fixture.withinMilliseconds) ms: it should end the response after 200 ms of quiet"))
                } else if oneExchange && !exitedZero {
                    findings.append(Finding(primary, "the client printed the answer but \(exitText): a valid answer is a success (exit 0)"))
                }
            }
        }
        let shownStatus = status(of: findings, level: definition.level, strict: configuration.strict)
        let summary = "printed \(ByteEscaping.escape(Array(output.utf8), limit: 80)); \(exitText)"
        var result = CheckResult(definition: definition, status: shownStatus,
                                 message: findings.isEmpty ? summary : findings.map(\.message).joined(separator: "; "),
                                 findings: findings, transcripts: [observation.transcript],
                                 durationMilliseconds: observation.transcript.events.last?.atMilliseconds ?? 0)
        result.expected = expected(fixture, answer: observation.answer, bound: seconds)
        if shownStatus == .fail && configuration.knownFailures.contains(definition.id) { result.knownFailure = true }
        return result
    }

    /// A MUST finding fails the check; a SHOULD finding (CLIENT-2 inside the never-closes check,
    /// or a SHOULD check's) warns, and fails under `--strict`; a MAY never fails.
    static func status(of findings: [Finding], level: RequirementLevel, strict: Bool) -> CheckStatus {
        if findings.contains(where: { $0.level == .must }) && level == .must { return .fail }
        guard !findings.isEmpty else { return .pass }
        return strict && level != .may && findings.contains(where: { $0.level != .may }) ? .fail : .warn
    }

    static func expected(_ fixture: ClientFixture, answer: [UInt8], bound: Int) -> String {
        switch fixture.expectation {
        case .answer: "the answer \(ByteEscaping.escape(answer)) printed, exit 0, within \(bound) s"
        case .reportAnswer: "the answer \(ByteEscaping.escape(answer)) reported (stdout or stderr), within \(bound) s"
        case .reject: "the response rejected: not printed as the answer, a non-zero exit, within \(bound) s"
        case .giveUp: "the client gives up on its own deadline, exits non-zero, within \(bound) s"
        case .answerWithoutClose: "the answer \(ByteEscaping.escape(answer)) printed within \(fixture.withinMilliseconds) ms, though the server never closes"
        }
    }

    /// `exited 0`, `exited 3`, `was killed by signal 9`.
    static func describeExit(_ status: ExitStatus) -> String {
        switch status {
        case let .exited(code): "exited \(code)"
        case let .signalled(signal): "was killed by signal \(signal)"
        }
    }

    static func describe(_ text: String) -> String {
        ByteEscaping.escape(Array(text.utf8), limit: 60)
    }

    /// The answer in the output: as the teacher's format line (`--expect-output`), or as a
    /// whole token (not inside a longer word or number).
    static func prints(_ answer: String, in output: String, format: String?) -> Bool {
        let trimmed = answer.trimmingWhitespace(newlines: true)
        if let format {
            let line = format.replacing("{answer}", with: trimmed).trimmingWhitespace(newlines: false)
            return output.split(whereSeparator: \.isNewline).contains { $0.trimmingWhitespace(newlines: false) == line }
        }
        guard !trimmed.isEmpty else { return false }
        var search = output.startIndex..<output.endIndex
        while let range = output[search].firstRange(of: trimmed) {
            let before = range.lowerBound == output.startIndex ? nil : output[output.index(before: range.lowerBound)]
            let after = range.upperBound == output.endIndex ? nil : output[range.upperBound]
            func boundary(_ character: Character?) -> Bool { character.map { !$0.isLetter && !$0.isNumber && $0 != "-" } ?? true }
            if boundary(before) && boundary(after) { return true }
            search = range.upperBound..<output.endIndex
        }
        return false
    }
}

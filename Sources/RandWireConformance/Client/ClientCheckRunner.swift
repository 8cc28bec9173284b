#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireProtocol
import RandWireSocket

/// What `randwire check-client` needs to run a client program against the harness.
package struct ClientRunConfiguration: Sendable {
    package var parameters: ProfileParameters
    /// The client's command, split; `{port}`, `{host}` and `$PORT` are replaced per check.
    package var command: [String]
    /// The port a client with a built-in port connects to; nil: a fresh port per check.
    package var fixedPort: UInt16?
    /// Written to the client's stdin, then stdin is closed (seed 003's client reads its number).
    package var input: String?
    /// How the client prints its answer, with `{answer}` where the answer goes; nil: the answer
    /// as a whole token anywhere in its output.
    package var expectOutput: String?
    /// How long a client may take before LIMIT-3 counts it as hung.
    package var clientTimeout: Duration = .seconds(10)
    /// Several servers for a failover client (double, DOUBLE-4): `{port1}`, `{port2}`, … in the
    /// command; a 0 is a free port.
    package var failoverPorts: [UInt16] = []

    package init(parameters: ProfileParameters, command: [String]) {
        self.parameters = parameters
        self.command = command
    }
}

/// Judges a client program: one scripted server behaviour per check, on loopback, and what the
/// client printed, its exit status and what it sent (spec sections 3, 5, 8 and 10).
package enum ClientCheckRunner {
    /// What the harness plays for one check.
    enum Behaviour {
        case answer, splitAnswer, trailingLineFeed, malformed, overCap, silent
    }

    struct ClientCheck {
        let definition: CheckDefinition
        let behaviour: Behaviour
    }

    static func definition(_ id: String, _ title: String, _ level: RequirementLevel, _ requirements: [String]) -> CheckDefinition {
        CheckDefinition(id: id, title: title, level: level, requirements: requirements, profiles: Profile.allCases, origin: "client")
    }

    static let checks: [ClientCheck] = [
        ClientCheck(definition: definition("client.answer", "A plain answer, one write then close, is printed", .must, ["CLIENT-1"]), behaviour: .answer),
        ClientCheck(definition: definition("client.split-answer", "An answer written in two pieces 100 ms apart is printed whole", .must, ["CLIENT-1"]), behaviour: .splitAnswer),
        ClientCheck(definition: definition("client.trailing-lf", "An answer with one trailing LF is accepted without it", .must, ["CORE-7"]), behaviour: .trailingLineFeed),
        ClientCheck(definition: definition("client.malformed", "A malformed answer is rejected, not printed as the answer", .must, ["CLIENT-3"]), behaviour: .malformed),
        ClientCheck(definition: definition("client.over-cap", "An answer over 1024 bytes is rejected", .must, ["CLIENT-3", "LIMIT-3"]), behaviour: .overCap),
        ClientCheck(definition: definition("client.silent-server", "A server that never answers does not hang the client", .must, ["LIMIT-3"]), behaviour: .silent),
    ]

    /// Observed on the plain exchange: how the client ended its request, or that it sent nothing.
    static let requestEnd = definition("client.request-end", "The request ends with LF or a half-close, not only quiet time", .should, ["FRAME-6"])
    static let bareSilent = definition("client.bare-sends-nothing", "A bare client sends nothing", .must, ["BARE-2"])

    package static var allDefinitions: [CheckDefinition] { checks.map(\.definition) + [requestEnd, bareSilent, failover] }

    package static func run(_ configuration: ClientRunConfiguration) -> RunReport {
        let started = Deadline.now
        let startedAt = Date.now.formatted(.iso8601)
        let profile = configuration.parameters.profile
        var results: [CheckResult] = []
        var warnings: [String] = ["client: " + configuration.command.joined(separator: " ")]
        var plainRequest: ObservedRequest?
        for check in checks {
            let (result, observed) = run(check, configuration)
            results.append(result)
            if check.behaviour == .answer { plainRequest = observed }
        }
        if profile.clientSendsRequest {
            results.append(judgeRequestEnd(plainRequest))
        } else {
            results.append(judgeBareSilence(plainRequest))
        }
        if configuration.failoverPorts.count >= 2 {
            results.append(judgeFailover(configuration))
        }
        if results.allSatisfy({ $0.status == .notJudged }) { warnings.append("the client never connected to the harness") }
        let assessment = VerdictAssessment.assess(results: results, strict: false, unreachable: false, narrowed: false)
        return RunReport(target: "client: " + configuration.command.joined(separator: " "), profile: profile, parameters: configuration.parameters,
                         strict: false, seed: 0, startedAt: startedAt, durationMilliseconds: (Deadline.now - started).inMilliseconds,
                         results: results, assessment: assessment, warnings: warnings)
    }

    /// What the client sent on the connection.
    struct ObservedRequest {
        var bytes: [UInt8] = []
        var end: String = "nothing"
    }

    /// One check: listen, start the client, play the behaviour, collect what it printed.
    static func run(_ check: ClientCheck, _ configuration: ClientRunConfiguration) -> (CheckResult, ObservedRequest?) {
        let definition = check.definition
        let listener: Listener
        do {
            listener = try Listener.bind(host: "127.0.0.1", port: configuration.fixedPort ?? 0)
        } catch {
            return (CheckResult(definition: definition, status: .notJudged, message: "not judged: the harness cannot listen: \(error.description)"), nil)
        }
        defer { listener.close() }
        let port = listener.address.port
        let arguments = configuration.command.map { word in
            // A failover client's {port1}, {port2}, … all lead to the one harness here.
            CommandPlaceholders.substitute((1...9).reduce(word) { $0.replacing("{port\($1)}", with: String(port)) }, port: port)
        }
        let client: ChildProcess
        do {
            client = try ChildProcess.start(arguments, environment: ["PORT": String(port)], standardInput: configuration.input == nil ? .null : .pipe)
        } catch {
            return (CheckResult(definition: definition, status: .notJudged, message: "not judged: \(error.description)"), nil)
        }
        if let input = configuration.input {
            client.write(Array(input.utf8))
            client.closeStandardInput()
        }
        let started = Deadline.now
        var transcript = Transcript()
        func note(_ kind: TranscriptEvent.Kind, text: String? = nil, bytes: [UInt8]? = nil) {
            transcript.events.append(TranscriptEvent(atMilliseconds: (Deadline.now - started).inMilliseconds, kind: kind, text: text, bytes: bytes))
        }
        guard let connection = try? listener.accept(deadline: .after(min(configuration.clientTimeout, .seconds(10)))) else {
            let status = client.waitForExit(timeout: .zero)
            client.stop(grace: .milliseconds(500))
            let why = status.map { "it exited (\($0)) without connecting" } ?? "it did not connect within \(Int(min(configuration.clientTimeout, .seconds(10)).inSeconds)) s"
            return (CheckResult(definition: definition, status: .notJudged, message: "not judged: \(why); output: \(outputLine(client))"), nil)
        }
        note(.connect, text: "client from port \(connection.remoteAddress?.port ?? 0)")
        let profile = configuration.parameters.profile
        let observed = readRequest(connection, profile: profile, note: note)
        let request = profile.clientSendsRequest ? Request(content: Array(observed.bytes.prefix { $0 != 0x0A }.filter { $0 != 0x0D }), end: .lineFeed) : nil
        var generator = SystemRandomNumberGenerator()
        let answer = ResponseEncoder.response(for: request, parameters: configuration.parameters, using: &generator) ?? []
        func send(_ bytes: [UInt8]) {
            try? connection.send(bytes, deadline: .after(.seconds(1)))
            note(.sent, bytes: bytes)
        }
        switch check.behaviour {
        case .answer: send(answer)
        case .splitAnswer:
            send(Array(answer.prefix(max(1, answer.count / 2))))
            Platform.sleep(untilMonotonic: Deadline.after(.milliseconds(100)).nanoseconds)
            send(Array(answer.dropFirst(max(1, answer.count / 2))))
        case .trailingLineFeed: send(answer + [0x0A])
        case .malformed: send(Array("not-an-answer".utf8))
        case .overCap: send(Array(repeating: UInt8(ascii: "7"), count: 2000))
        case .silent: break
        }
        if check.behaviour != .silent {
            connection.close()
            note(.close)
        }
        let exit = client.waitForExit(timeout: configuration.clientTimeout)
        if check.behaviour == .silent { connection.close() }
        if exit == nil { client.stop(grace: .milliseconds(500)) }
        _ = client.waitForEndOfOutput(timeout: .milliseconds(500))
        let output = client.standardOutput.text
        note(.note, text: "client output: " + ByteEscaping.escape(Array(output.utf8), limit: 200) + "; " + (exit.map { "exited (\($0))" } ?? "still running after \(Int(configuration.clientTimeout.inSeconds)) s: stopped"))
        let answerText = String(decoding: answer, as: UTF8.self)
        var findings: [Finding] = []
        let printed = prints(answerText, in: output, format: configuration.expectOutput)
        switch check.behaviour {
        case .answer, .splitAnswer, .trailingLineFeed:
            if exit == nil {
                findings.append(Finding(definition.requirements[0], "the client did not finish within \(Int(configuration.clientTimeout.inSeconds)) s after the server closed"))
            } else if !printed {
                findings.append(Finding(definition.requirements[0], "the client did not print the answer \(ByteEscaping.escape(answer)); it printed \(ByteEscaping.escape(Array(output.utf8), limit: 120))"))
            }
        case .malformed:
            if prints("not-an-answer", in: output, format: configuration.expectOutput), exit == .exited(0) {
                findings.append(Finding("CLIENT-3", "the client printed the malformed answer \"not-an-answer\" as its answer and exited 0"))
            }
        case .overCap:
            // Printing the first 1024 bytes of it (one recv) is accepting it all the same.
            if output.contains(String(repeating: "7", count: 1000)), exit == .exited(0) {
                findings.append(Finding("CLIENT-3", "the client printed (part of) a 2000-byte answer as its answer and exited 0: it must reject a response over 1024 bytes"))
            }
        case .silent:
            if exit == nil {
                findings.append(Finding("LIMIT-3", "the client was still waiting \(Int(configuration.clientTimeout.inSeconds)) s after connecting to a server that never answers: it has no read deadline"))
            }
        }
        let relevant = findings.filter { $0.level == .must }
        var result = CheckResult(definition: definition, status: relevant.isEmpty ? .pass : .fail,
                                 message: relevant.isEmpty ? "printed \(ByteEscaping.escape(Array(output.utf8), limit: 80)); \(exit.map { "exited (\($0))" } ?? "stopped")" : relevant.map(\.message).joined(separator: "; "),
                                 findings: findings, transcripts: [transcript], durationMilliseconds: (Deadline.now - started).inMilliseconds)
        result.expected = check.behaviour == .malformed || check.behaviour == .overCap ? "an error, not the bytes as an answer" : (check.behaviour == .silent ? "the client gives up on its own deadline" : "the answer \(ByteEscaping.escape(answer)) in the output")
        return (result, observed)
    }

    /// Reads the client's request: up to LF, half-close, 1024 bytes or 300 ms of quiet.
    static func readRequest(_ connection: Connection, profile: Profile, note: (TranscriptEvent.Kind, String?, [UInt8]?) -> Void) -> ObservedRequest {
        var observed = ObservedRequest()
        let quiet = Duration.milliseconds(profile.clientSendsRequest ? 300 : 150)
        let hardStop = Deadline.after(.seconds(2))
        while !hardStop.hasPassed {
            switch connection.read(maxBytes: 1025, deadline: min(hardStop, .after(quiet))) {
            case let .data(bytes):
                observed.bytes += bytes
                note(.received, nil, bytes)
                if bytes.contains(0x0A) { observed.end = "LF"; return observed }
                if observed.bytes.count > 1024 { observed.end = "cap"; return observed }
            case .eof:
                note(.halfClose, nil, nil)
                observed.end = observed.bytes.isEmpty ? "half-close, nothing sent" : "half-close"
                return observed
            case .timeout:
                observed.end = observed.bytes.isEmpty ? "nothing" : "quiet"
                return observed
            case .reset, .failed:
                observed.end = "reset"
                return observed
            }
        }
        return observed
    }

    static let failover = CheckDefinition(id: "client.failover", title: "With one of several servers up, the client finds it", level: .may,
                                          requirements: ["DOUBLE-4"], profiles: [.double], origin: "client")

    /// DOUBLE-4 (a MAY, so it never decides a verdict): three runs, each with only one of the
    /// servers listening and the others refusing; a client that fails over answers every time.
    static func judgeFailover(_ configuration: ClientRunConfiguration) -> CheckResult {
        var listeners: [Listener] = []
        for port in configuration.failoverPorts {
            guard let listener = try? Listener.bind(host: "127.0.0.1", port: port) else {
                listeners.forEach { $0.close() }
                return CheckResult(definition: failover, status: .notJudged, message: "not judged: the harness cannot listen on port \(port)")
            }
            listeners.append(listener)
        }
        let ports = listeners.map(\.address.port)
        var command = configuration.command
        for (index, port) in ports.enumerated() {
            command = command.map { $0.replacing("{port\(index + 1)}", with: String(port)) }
        }
        var missed: [String] = []
        var transcripts: [Transcript] = []
        for attempt in 0..<3 {
            let live = attempt % listeners.count
            // Only the live one listens: the others are closed (connections refused) and bound anew after.
            var open: [Int: Listener] = [live: listeners[live]]
            for (index, listener) in listeners.enumerated() where index != live { listener.close() }
            guard let client = try? ChildProcess.start(command, environment: ["PORT": String(ports[live])], standardInput: configuration.input == nil ? .null : .pipe) else { break }
            if let input = configuration.input { client.write(Array(input.utf8)); client.closeStandardInput() }
            var transcript = Transcript()
            var answer: [UInt8] = []
            if let connection = try? listeners[live].accept(deadline: .after(configuration.clientTimeout)) {
                let observed = readRequest(connection, profile: .double) { _, _, _ in }
                let request = Request(content: Array(observed.bytes.prefix { $0 != 0x0A }.filter { $0 != 0x0D }), end: .lineFeed)
                var generator = SystemRandomNumberGenerator()
                answer = ResponseEncoder.response(for: request, parameters: configuration.parameters, using: &generator) ?? []
                try? connection.send(answer, deadline: .after(.seconds(1)))
                transcript.events.append(TranscriptEvent(atMilliseconds: 0, kind: .sent, bytes: answer))
                connection.close()
            }
            let exit = client.waitForExit(timeout: configuration.clientTimeout)
            if exit == nil { client.stop(grace: .milliseconds(300)) }
            _ = client.waitForEndOfOutput(timeout: .milliseconds(300))
            let output = client.standardOutput.text
            if answer.isEmpty || !prints(String(decoding: answer, as: UTF8.self), in: output, format: configuration.expectOutput) {
                missed.append("run \(attempt + 1), only port \(ports[live]) up: \(ByteEscaping.escape(Array((output + client.standardError.text).utf8), limit: 80))")
            }
            transcripts.append(transcript)
            // Reopen the closed ones for the next run.
            for index in listeners.indices where index != live {
                if let again = try? Listener.bind(host: "127.0.0.1", port: ports[index]) { open[index] = again }
            }
            listeners = listeners.indices.map { open[$0] ?? listeners[$0] }
        }
        listeners.forEach { $0.close() }
        guard missed.isEmpty else {
            let finding = Finding("DOUBLE-4", "the client did not find the one server up: " + missed.joined(separator: "; "))
            return CheckResult(definition: failover, status: .warn, message: finding.message, findings: [finding], transcripts: transcripts)
        }
        return CheckResult(definition: failover, status: .pass, message: "found the one server up in each of 3 runs", transcripts: transcripts)
    }

    static func judgeRequestEnd(_ observed: ObservedRequest?) -> CheckResult {
        guard let observed else { return CheckResult(definition: requestEnd, status: .notJudged, message: "not judged: the client never connected") }
        switch observed.end {
        case "LF", "half-close":
            return CheckResult(definition: requestEnd, status: .pass, message: "the request \(ByteEscaping.escape(observed.bytes)) ended by \(observed.end)")
        default:
            let finding = Finding("FRAME-6", "the request \(ByteEscaping.escape(observed.bytes)) ended by \(observed.end): the server had to wait out its quiet time")
            return CheckResult(definition: requestEnd, status: .warn, message: finding.message, findings: [finding])
        }
    }

    static func judgeBareSilence(_ observed: ObservedRequest?) -> CheckResult {
        guard let observed else { return CheckResult(definition: bareSilent, status: .notJudged, message: "not judged: the client never connected") }
        if observed.bytes.isEmpty { return CheckResult(definition: bareSilent, status: .pass, message: "the client sent nothing") }
        let finding = Finding("BARE-2", "the client sent \(ByteEscaping.escape(observed.bytes)) to a bare server")
        return CheckResult(definition: bareSilent, status: .fail, message: finding.message, findings: [finding])
    }

    /// The answer in the output: as the teacher's format line, or as a whole token.
    static func prints(_ answer: String, in output: String, format: String?) -> Bool {
        let trimmed = answer.trimmingWhitespace(newlines: false)
        if let format {
            let line = format.replacing("{answer}", with: answer)
            return output.split(whereSeparator: \.isNewline).contains { $0.trimmingWhitespace(newlines: false) == line.trimmingWhitespace(newlines: false) }
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

    static func outputLine(_ client: ChildProcess) -> String {
        ByteEscaping.escape(Array((client.standardOutput.text + client.standardError.text).utf8), limit: 120)
    }
}

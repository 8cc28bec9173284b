#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireProtocol
import RandWireSocket

/// What happened in one check's exchange, from the harness's side: what the client sent, what
/// it was sent, when it finished, and what it printed. Judged by `ClientJudge`.
struct ClientObservation {
    /// Set when nothing could be judged (the harness could not listen, the client never connected).
    var notJudged: String?
    var request = ObservedRequest()
    /// Octets the client sent after its request had ended, while the harness held the connection.
    var afterRequest: [UInt8] = []
    /// The valid answer the harness drew for the client's request, and everything it wrote.
    var answer: [UInt8] = []
    var response: [UInt8] = []
    var answerSentAt: Deadline?
    var exchangeEndedAt: Deadline?
    /// When the client closed its side of a held connection.
    var clientClosedAt: Deadline?
    /// nil: still running at the bound, and stopped.
    var exit: ExitStatus?
    var exitedAt: Deadline?
    /// The client repeats exchanges (`--loop`, or it came back for another during the check).
    var looping = false
    var reconnected = false
    /// The bound was cut short by the run's deadline: a client still running then is not judged.
    var cutShort = false
    var bound: Duration = .seconds(10)
    /// What contained the client on this launch (`grade`), one line each.
    var containmentNotes: [String] = []
    var standardOutput = ""
    var standardError = ""
    var transcript = Transcript()

    /// When a looping client was seen to print the answer (it is not stopped before).
    var answerPrintedAt: Deadline?

    /// When the client was done with the exchange: it exited, closed the connection, or (looping)
    /// printed the answer.
    var finishedAt: Deadline? {
        [exitedAt, clientClosedAt, answerPrintedAt].compactMap { $0 }.min()
    }
}

/// What the client sent on the connection and how its request ended (section 5).
struct ObservedRequest {
    var bytes: [UInt8] = []
    var end = End.nothing

    enum End: String {
        case lineFeed = "LF", halfClose = "half-close", quiet = "quiet time", cap = "the 1024-octet cap", reset, nothing
    }

    /// The request as a server following section 5 frames it.
    var framed: Request {
        let content = bytes.prefix { $0 != 0x0A }
        let trimmed = end == .lineFeed && content.last == 0x0D ? content.dropLast() : content
        return Request(content: Array(trimmed.prefix(Limits.maxRequestBytes)), end: .lineFeed)
    }
}

/// Plays one client fixture: listens on loopback, starts the client, reads its request, plays
/// the fixture's steps, then watches the client until it is done or the bound passes.
struct ClientHarness {
    let configuration: ClientRunConfiguration
    /// The run's own deadline: no check's bound goes past it.
    let runDeadline: Deadline

    /// How long quiet ends a request (FRAME-3 allows a server 20 to 200 ms; the harness gives
    /// the client the most), and how long a bare client is given to send what it must not.
    static let requestQuiet = Duration.milliseconds(200)
    static let bareQuiet = Duration.milliseconds(150)
    /// How long after the harness ended a rejection exchange a looping client is watched.
    static let loopSettle = Duration.milliseconds(1000)

    func play(_ fixture: ClientFixture) -> ClientObservation {
        var observation = ClientObservation()
        let checkStarted = Deadline.now
        let bound = min(checkStarted.adding(configuration.clientTimeout), runDeadline)
        observation.bound = bound - checkStarted
        observation.cutShort = runDeadline < checkStarted.adding(configuration.clientTimeout)
        observation.looping = configuration.loops
        // A failover client (double) may pick any of its servers: the harness is all of them.
        var listeners: [Listener] = []
        defer { listeners.forEach { $0.close() } }
        for wanted in configuration.failoverPorts.isEmpty ? [configuration.fixedPort ?? 0] : configuration.failoverPorts {
            do {
                listeners.append(try Listener.bind(host: "127.0.0.1", port: wanted))
            } catch {
                observation.notJudged = "the harness cannot listen on port \(wanted): \(error.description)"
                return observation
            }
        }
        let ports = listeners.map(\.address.port)
        let port = ports[0]
        let client: ChildProcess
        let plan: Containment.Plan?
        do {
            (client, plan) = try configuration.launch(port: port, ports: ports)
        } catch {
            observation.notJudged = error.description
            return observation
        }
        observation.containmentNotes = plan?.notes ?? []
        defer {
            client.stop(grace: .milliseconds(300))
            if let plan { Containment.release(plan) }
        }
        let started = Deadline.now
        // Apart from `observation`, which `watch` holds inout while it notes events.
        var transcript = Transcript()
        func note(_ kind: TranscriptEvent.Kind, text: String? = nil, bytes: [UInt8]? = nil) {
            transcript.events.append(TranscriptEvent(atMilliseconds: (Deadline.now - started).inMilliseconds, kind: kind, text: text, bytes: bytes))
        }
        let connectBound = min(bound, Deadline.after(.seconds(10)))
        guard let connection = acceptWhileRunning(listeners, client: client, until: connectBound) else {
            let status = client.waitForExit(timeout: .zero)
            client.stop(grace: .milliseconds(300))
            let why = status.map { "it \(ClientJudge.describeExit($0)) without connecting" }
                ?? "it did not connect to port \(ports.map(String.init).joined(separator: ", ")) within \(Int((connectBound - started).inSeconds.rounded())) s"
            observation.notJudged = "\(why); output: \(Self.outputExcerpt(client))"
            observation.transcript = transcript
            return observation
        }
        note(.connect, text: "client from port \(connection.remoteAddress?.port ?? 0)")

        let profile = configuration.parameters.profile
        observation.request = Self.readRequest(connection, profile: profile) { note($0, text: $1, bytes: $2) }
        observation.answer = Self.answer(to: profile.clientSendsRequest ? observation.request.framed : nil, parameters: configuration.parameters)
        if let pieces = fixture.steps.lazy.compactMap({ if case let .sendPieces(_, count, _) = $0 { count } else { nil } }).first {
            // A one-digit number cannot arrive in pieces: draw again (bare, csv and request are random).
            for _ in 0..<100 where observation.answer.count < pieces && configuration.parameters.profile.isRandom {
                observation.answer = Self.answer(to: profile.clientSendsRequest ? observation.request.framed : nil, parameters: configuration.parameters)
            }
        }
        let placeholders = ClientPlaceholders(answer: String(decoding: observation.answer, as: UTF8.self), parameters: configuration.parameters)
        var drip: (unit: [UInt8], every: Duration)?
        func send(_ bytes: [UInt8]) {
            // A client that stopped reading (one recv of a flood) cannot hold the harness up: what
            // does not fit its buffers in a second is not going to be read.
            try? connection.send(bytes, deadline: min(bound, .after(.seconds(1))))
            observation.response += bytes
            note(.sent, bytes: bytes)
        }
        for step in fixture.steps {
            switch step {
            case let .send(payload):
                send(placeholders.bytes(payload))
            case let .sendPieces(payload, count, delay):
                let pieces = Self.pieces(placeholders.bytes(payload), count: count)
                for (index, piece) in pieces.enumerated() {
                    if index > 0 { Platform.sleep(untilMonotonic: Deadline.after(.milliseconds(delay)).nanoseconds) }
                    send(piece)
                }
            case let .wait(milliseconds):
                Platform.sleep(untilMonotonic: Deadline.after(.milliseconds(milliseconds)).nanoseconds)
            case let .drip(payload, every):
                drip = (placeholders.bytes(payload), .milliseconds(every))
            }
        }
        if !observation.response.isEmpty { observation.answerSentAt = .now }
        var held: Connection?
        switch fixture.end {
        case .close:
            connection.close()
            note(.close)
        case .reset:
            connection.abort()
            note(.abort)
        case .hold:
            held = connection
        }
        observation.exchangeEndedAt = .now
        // The harness's own writing (a flood on a loaded machine) is not the client's time: it
        // keeps at least a second after the harness is done, within the run's deadline.
        let clientBound = max(bound, min(runDeadline, Deadline.after(.seconds(1))))
        watch(client, listeners: listeners, held: &held, drip: drip, fixture: fixture, placeholders: placeholders, until: clientBound, observation: &observation, note: note)
        held?.close()
        if observation.exit == nil { _ = client.stop(grace: .milliseconds(300)) }
        _ = client.waitForEndOfOutput(timeout: .milliseconds(500))
        observation.standardOutput = client.standardOutput.text
        observation.standardError = client.standardError.text
        let ending = observation.exit.map(ClientJudge.describeExit)
            ?? (observation.looping ? "stopped after its first exchange" : "still running after \(Int(observation.bound.inSeconds.rounded())) s: stopped")
        note(.note, text: "client printed " + ByteEscaping.escape(Array(observation.standardOutput.utf8), limit: 200)
             + (observation.standardError.isEmpty ? "" : ", on stderr " + ByteEscaping.escape(Array(observation.standardError.utf8), limit: 200))
             + "; " + ending)
        observation.transcript = transcript
        return observation
    }

    /// Waits for the client's connection on any of the listeners, giving up early when the
    /// client exits first.
    private func acceptWhileRunning(_ listeners: [Listener], client: ChildProcess, until deadline: Deadline) -> Connection? {
        while !deadline.hasPassed {
            let exited = client.exitStatus != nil
            for listener in listeners {
                if let connection = try? listener.accept(deadline: .now) { return connection }
            }
            // It may have connected just before exiting: the loop above looked once more.
            if exited { return nil }
            Platform.sleep(untilMonotonic: Deadline.after(.milliseconds(listeners.count == 1 ? 0 : 5)).nanoseconds)
            if listeners.count == 1, let connection = try? listeners[0].accept(deadline: min(deadline, .after(.milliseconds(50)))) { return connection }
        }
        return nil
    }

    /// After the harness's last step: until the client exits, comes back, or (looping) is done
    /// with its first exchange, or the bound passes. A held connection is read meanwhile.
    private func watch(_ client: ChildProcess, listeners: [Listener], held: inout Connection?, drip: (unit: [UInt8], every: Duration)?, fixture: ClientFixture,
                       placeholders: ClientPlaceholders, until bound: Deadline, observation: inout ClientObservation,
                       note: (TranscriptEvent.Kind, String?, [UInt8]?) -> Void) {
        let answerText = placeholders.answer
        var lastOutputCount = 0
        var lastOutputChange = Deadline.now
        // After a half-close the connection reads as ended already: the client's full close
        // cannot be seen there, so its exit (or return) says when it is done.
        var readsClose = observation.request.end != .halfClose && observation.request.end != .reset
        var nextDrip = Deadline.now
        while true {
            if let drip, let connection = held, nextDrip.hasPassed {
                if (try? connection.send(drip.unit, deadline: .after(.milliseconds(20)))) == nil {
                    // The client closed (or stopped reading): the drip is over.
                    observation.clientClosedAt = observation.clientClosedAt ?? .now
                } else {
                    observation.response += drip.unit
                    note(.sent, nil, drip.unit)
                }
                nextDrip = .after(drip.every)
            }
            if let connection = held, readsClose {
                switch connection.read(maxBytes: 64 * 1024, deadline: min(bound, .after(.milliseconds(20)))) {
                case let .data(bytes):
                    if observation.afterRequest.count < 4096 { observation.afterRequest += bytes.prefix(4096 - observation.afterRequest.count) }
                    note(.received, nil, bytes)
                case .eof, .reset, .failed:
                    observation.clientClosedAt = .now
                    note(.eof, "the client closed the connection", nil)
                    connection.close()
                    held = nil
                    readsClose = false
                case .timeout:
                    break
                }
            } else if let status = client.waitForExit(timeout: min(.milliseconds(20), max(.zero, bound - .now))) {
                observation.exit = status
            }
            if observation.exit == nil, let status = client.exitStatus { observation.exit = status }
            if observation.exit != nil {
                observation.exitedAt = .now
                return
            }
            if let again = listeners.lazy.compactMap({ try? $0.accept(deadline: .now) }).first {
                // It came back for another exchange: a looping client, judged on its first.
                note(.note, "the client connected again: judged as a looping client on its first exchange", nil)
                again.close()
                observation.reconnected = true
                observation.looping = true
                return
            }
            let output = client.standardOutput.total
            if output != lastOutputCount { lastOutputCount = output; lastOutputChange = .now }
            if observation.looping {
                let printed = ClientJudge.prints(answerText, in: client.standardOutput.text, format: configuration.expectOutput)
                switch fixture.expectation {
                case .answer, .reportAnswer:
                    if printed { return }
                case .answerWithoutClose:
                    // Printing the answer is a looping client moving on (seed 004's keeps the
                    // socket open 10 s after it).
                    if printed { observation.answerPrintedAt = .now; return }
                case .giveUp:
                    if observation.clientClosedAt != nil { return }
                case .reject:
                    if let ended = observation.exchangeEndedAt, (Deadline.now - ended) >= Self.loopSettle,
                       Deadline.now - lastOutputChange >= .milliseconds(300) { return }
                }
            }
            if bound.hasPassed { return }
        }
    }

    /// Reads the client's request: up to LF, half-close, the cap, or the quiet time.
    static func readRequest(_ connection: Connection, profile: Profile, note: (TranscriptEvent.Kind, String?, [UInt8]?) -> Void) -> ObservedRequest {
        var observed = ObservedRequest()
        let quiet = profile.clientSendsRequest ? requestQuiet : bareQuiet
        // A request profile's client gets 2 s to start its request; quiet time runs from its first octet.
        let firstOctet = Deadline.after(profile.clientSendsRequest ? .seconds(2) : bareQuiet)
        while true {
            switch connection.read(maxBytes: Limits.maxRequestBytes + 2 - observed.bytes.count, deadline: observed.bytes.isEmpty ? firstOctet : .after(quiet)) {
            case let .data(bytes):
                observed.bytes += bytes
                note(.received, nil, bytes)
                if bytes.contains(0x0A) { observed.end = .lineFeed; return observed }
                if observed.bytes.count > Limits.maxRequestBytes + 1 { observed.end = .cap; return observed }
            case .eof:
                note(.eof, "the client half-closed: its request ends", nil)
                observed.end = .halfClose
                return observed
            case .timeout:
                observed.end = observed.bytes.isEmpty ? .nothing : .quiet
                return observed
            case .reset, .failed:
                observed.end = .reset
                return observed
            }
        }
    }

    /// A valid answer to what the client asked; a request the profile answers with nothing
    /// (REQ-2, an empty request) gets the seed request's answer, so there is something to print.
    static func answer(to request: Request?, parameters: ProfileParameters) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        if let answer = ResponseEncoder.response(for: request, parameters: parameters, using: &generator), !answer.isEmpty { return answer }
        let seed = parameters.profile.seedRequest.map { Request(content: Array($0.utf8), end: .lineFeed) }
        return ResponseEncoder.response(for: seed, parameters: parameters, using: &generator) ?? []
    }

    /// `bytes` cut into at most `count` non-empty pieces of near-equal size.
    static func pieces(_ bytes: [UInt8], count: Int) -> [[UInt8]] {
        let count = max(1, min(count, bytes.count))
        guard count > 1 else { return [bytes] }
        return (0..<count).map { index in Array(bytes[(index * bytes.count / count)..<((index + 1) * bytes.count / count)]) }
    }

    static func outputExcerpt(_ client: ChildProcess) -> String {
        ByteEscaping.escape(Array((client.standardOutput.text + client.standardError.text).utf8), limit: 120)
    }
}

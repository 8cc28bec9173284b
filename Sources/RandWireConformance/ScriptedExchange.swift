import RandWireProtocol
import RandWireSocket

/// How a response read ended, as the runner tells them apart.
package enum ReadEnd: String, Sendable, Codable {
    /// The server closed (FIN) after its bytes: the normal case (CORE-3).
    case eof
    /// The server reset the connection.
    case reset
    /// Data arrived but the server did not close within the close wait (CORE-3 fault).
    case noClose = "no-close"
    /// Nothing arrived before the answer deadline.
    case silence
    /// More than 1024 bytes arrived: the read was cut off (CORE-4).
    case cap
    /// The client reset or closed by design (a reset step): nothing was read.
    case notRead = "not-read"
}

/// The runner's timing knobs for one exchange.
struct ExchangeTiming: Sendable {
    var connect: Duration
    /// How long to wait for the first byte of an answer after the last step.
    var answer: Duration
    /// How long after the last byte the server has to close before CORE-3 counts it as not closing.
    var closeWait: Duration
    /// The most reading a response may take, however the server paces its bytes: a server that
    /// trickles a byte just inside every close wait would otherwise hold the runner for
    /// 1025 close waits, far past the run deadline.
    var exchangeLimit: Duration = .milliseconds(Limits.maxConnectionMilliseconds + 500)
    /// The answer wait was shortened to end at the run's deadline: silence within it proves
    /// nothing, so a check that got none is not judged rather than failed.
    var cutByRunDeadline = false
}

/// What happened on one scripted connection.
struct ExchangeOutcome: Sendable {
    var transcript: Transcript
    var response: [UInt8] = []
    var end: ReadEnd = .notRead
    var connectError: SocketError?
    /// Bytes the server sent while it had to stay silent (FRAME-5).
    var spokeEarly: [UInt8] = []
    /// Bytes the server sent between the pieces of a split request: it answered a partial
    /// request (FRAME-4).
    var answeredEarly: [UInt8] = []
    /// The longest real pause between two writes. Past the shortest quiet time a server may use
    /// (20 ms, FRAME-3) the server may rightly have ended the request early: a loaded checker,
    /// not a server fault.
    var longestSendGap: Duration = .zero
    /// Bytes the first read returned (CORE-5).
    var firstReadCount = 0
    var elapsed: Duration = .zero

    var connected: Bool { connectError == nil }
}

/// Runs a fixture's steps on a fresh connection and reads the answer with deadlines and a byte
/// cap. Blocking: always called on the runner's own threads, never on the concurrency pool.
enum ScriptedExchange {
    static func run(_ steps: [Fixture.Step], readResponse: Bool, target: Endpoint, timing: ExchangeTiming) -> ExchangeOutcome {
        let start = Deadline.now
        var transcript = Transcript()
        func note(_ kind: TranscriptEvent.Kind, text: String? = nil, bytes: [UInt8]? = nil) {
            transcript.events.append(TranscriptEvent(atMilliseconds: (Deadline.now - start).inMilliseconds, kind: kind, text: text, bytes: bytes))
        }
        let connection: Connection
        do {
            connection = try Connection.connect(to: target, deadline: .after(timing.connect))
        } catch where error.kind == .reset {
            // The handshake completed and the server reset before connect() returned: it is
            // there and accepting, so this is a reset exchange, not an unreachable target.
            note(.connect, text: target.description)
            note(.reset, text: error.description)
            var outcome = ExchangeOutcome(transcript: transcript)
            outcome.end = readResponse && !steps.contains(.reset) ? .reset : .notRead
            outcome.elapsed = Deadline.now - start
            return outcome
        } catch {
            note(.error, text: error.description)
            var outcome = ExchangeOutcome(transcript: transcript)
            outcome.connectError = error
            outcome.elapsed = Deadline.now - start
            return outcome
        }
        defer { connection.close() }
        transcript.localPort = connection.localAddress?.port
        note(.connect, text: connection.remoteAddress?.description ?? target.description)
        var outcome = ExchangeOutcome(transcript: transcript)

        func receiveWhileWaiting(_ duration: Duration) -> [UInt8] {
            var early: [UInt8] = []
            let until = Deadline.after(duration)
            while Deadline.now < until {
                switch connection.read(maxBytes: Limits.maxResponseBytes + 1, deadline: until) {
                case let .data(bytes):
                    note(.received, bytes: bytes)
                    early += bytes
                    if early.count > Limits.maxResponseBytes { return early }
                case .eof:
                    note(.eof)
                    return early
                case .reset:
                    note(.reset)
                    return early
                case .timeout:
                    return early
                case let .failed(error):
                    note(.error, text: error.description)
                    return early
                }
            }
            return early
        }

        var lastSend: Deadline?
        func noteSend() {
            let now = Deadline.now
            if let lastSend { outcome.longestSendGap = max(outcome.longestSendGap, now - lastSend) }
            lastSend = now
        }

        stepLoop: for step in steps {
            switch step {
            case let .send(bytes):
                do {
                    noteSend()
                    try connection.send(bytes, deadline: .after(timing.answer))
                    note(.sent, bytes: bytes)
                } catch {
                    note(.error, text: "send: \(error.description)")
                    break stepLoop
                }
            case let .sendChunks(chunks, delay):
                for (index, chunk) in chunks.enumerated() {
                    if index > 0 { outcome.answeredEarly += receiveWhileWaiting(.milliseconds(delay)) }
                    do {
                        noteSend()
                        try connection.send(chunk, deadline: .after(timing.answer))
                        note(.sent, bytes: chunk)
                    } catch {
                        note(.error, text: "send: \(error.description)")
                        break stepLoop
                    }
                }
            case .halfClose:
                connection.shutdownWrite()
                note(.halfClose)
            case let .wait(milliseconds):
                if milliseconds > 0 { outcome.response += receiveWhileWaiting(.milliseconds(milliseconds)) }
            case let .expectSilence(milliseconds):
                outcome.spokeEarly += receiveWhileWaiting(.milliseconds(milliseconds))
            case .reset:
                connection.abort()
                note(.abort)
                outcome.transcript = transcript
                outcome.end = .notRead
                outcome.elapsed = Deadline.now - start
                return outcome
            }
        }
        guard readResponse else {
            outcome.transcript = transcript
            outcome.elapsed = Deadline.now - start
            return outcome
        }
        // Bytes seen during waits count as the start of the response, unless they were spoken early.
        var response = outcome.response
        let answerDeadline = Deadline.after(timing.answer)
        let readStart = Deadline.now
        let hardStop = readStart.adding(max(timing.exchangeLimit, timing.answer + timing.closeWait))
        var lastByte = Deadline.now
        var end = ReadEnd.silence
        var firstRead = true
        readLoop: while true {
            let deadline = min(response.isEmpty ? answerDeadline : lastByte.adding(timing.closeWait), hardStop)
            switch connection.read(maxBytes: Limits.maxResponseBytes + 1 - response.count, deadline: deadline) {
            case let .data(bytes):
                note(.received, bytes: bytes)
                if firstRead {
                    outcome.firstReadCount = bytes.count
                    firstRead = false
                }
                response += bytes
                lastByte = Deadline.now
                if response.count > Limits.maxResponseBytes {
                    end = .cap
                    connection.abort()
                    note(.abort, text: "cut off after \(response.count) bytes (cap 1024)")
                    break readLoop
                }
            case .eof:
                note(.eof)
                end = .eof
                break readLoop
            case .reset:
                note(.reset)
                end = .reset
                break readLoop
            case .timeout:
                if response.isEmpty {
                    note(.timeout, text: "no answer within \(timing.answer.inMilliseconds) ms")
                    end = .silence
                } else if hardStop.hasPassed {
                    note(.timeout, text: "no close within \((hardStop - readStart).inMilliseconds) ms (bytes kept trickling)")
                    end = .noClose
                } else {
                    note(.timeout, text: "no close within \(timing.closeWait.inMilliseconds) ms of the last byte")
                    end = .noClose
                }
                break readLoop
            case let .failed(error):
                note(.error, text: error.description)
                end = .reset
                break readLoop
            }
        }
        note(.close)
        outcome.transcript = transcript
        outcome.response = response
        outcome.end = end
        outcome.elapsed = Deadline.now - start
        return outcome
    }
}

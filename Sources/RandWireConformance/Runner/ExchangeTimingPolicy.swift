import RandWireProtocol
import RandWireSocket

/// How long each exchange may wait, as the run learns about the server: a server that never
/// answers or never closes costs seconds, not the run deadline, and no wait outlasts the run.
struct ExchangeTimingPolicy {
    /// Past three silent exchanges in a row, later ones wait only this long for a first byte.
    static let silentAnswerWait = Duration.milliseconds(500)

    let answerTimeout: Duration
    let connectTimeout: Duration
    let exchangeLimit: Duration
    let runDeadline: Deadline
    /// Shortened once the server is known not to close, so a never-closing server costs little.
    var closeWait: Duration
    /// Exchanges in a row that got no answer at all.
    private(set) var silentStreak = 0

    init(configuration: RunConfiguration, runDeadline: Deadline) {
        answerTimeout = configuration.answerTimeout
        connectTimeout = configuration.connectTimeout
        exchangeLimit = configuration.connectionDeadlineLimit
        closeWait = configuration.closeWait
        self.runDeadline = runDeadline
    }

    /// Three exchanges in a row heard nothing: the server is taken to be silent.
    var serverSeemsSilent: Bool { silentStreak >= 3 }

    /// The timing for the next exchange.
    var current: ExchangeTiming {
        ExchangeTiming(connect: connectTimeout, answer: serverSeemsSilent ? min(answerTimeout, Self.silentAnswerWait) : answerTimeout,
                       closeWait: closeWait, exchangeLimit: exchangeLimit).clamped(to: runDeadline)
    }

    /// The timing for a fixture that states its own answer bound (`answerWithinMilliseconds`).
    func answering(within milliseconds: Int) -> ExchangeTiming {
        var timing = current
        timing.answer = min(.milliseconds(milliseconds), serverSeemsSilent ? Self.silentAnswerWait : answerTimeout * 3)
        timing.cutByRunDeadline = false
        return timing.clamped(to: runDeadline)
    }

    /// Counts silent exchanges; returns a note for the report when the server starts to look silent.
    mutating func noteAnswered(_ outcome: ExchangeOutcome) -> String? {
        guard outcome.connected, outcome.end != .notRead else { return nil }
        if outcome.response.isEmpty && outcome.end == .silence {
            silentStreak += 1
            if silentStreak == 3 {
                return "three exchanges in a row got no answer: later ones wait \(Int(Self.silentAnswerWait.inMilliseconds)) ms for a first byte"
            }
        } else if !outcome.response.isEmpty {
            silentStreak = 0
        }
        return nil
    }
}

extension ExchangeTiming {
    /// Never waits past the run's own deadline; remembers when that shortened the wait.
    func clamped(to deadline: Deadline) -> ExchangeTiming {
        var timing = self
        let left = deadline - Deadline.now
        if left < timing.answer {
            timing.answer = max(.milliseconds(50), left)
            timing.cutByRunDeadline = true
        }
        return timing
    }

    /// The exchange heard nothing only because the run's deadline ended its wait.
    func cutShort(_ outcome: ExchangeOutcome) -> Bool {
        cutByRunDeadline && outcome.end == .silence && outcome.response.isEmpty
    }
}

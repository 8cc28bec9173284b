import RandWireProtocol
import RandWireSocket

/// What `LoadGenerator.run` does: `connections` slots, each looping connect → (send the request)
/// → read to EOF → validate → close, for `duration`, spread over `threads` epoll loops.
package struct BenchConfiguration: Sendable {
    package var target: Endpoint
    package var parameters: ProfileParameters
    /// Concurrent connection slots (closed loop: each starts its next exchange when one ends).
    package var connections: Int
    /// New exchanges start only before this; in-flight ones get `grace` more, then are abandoned.
    package var duration: Duration
    /// The request bytes (request, parity, double), sent as given: end them with LF (FRAME-6)
    /// or the server waits its quiet time. nil: the profile sends nothing (bare, csv).
    package var request: [UInt8]?
    /// Load threads, each with its own epoll instance and share of the slots.
    package var threads: Int
    /// Close with FIN instead of SO_LINGER{1,0} (RST). The RST keeps TIME_WAIT from building up:
    /// the server closes first, so its socket would hold TIME_WAIT, and the RST destroys it.
    package var gracefulClose: Bool
    /// The longest one exchange may take before it counts as a `timeout`.
    package var exchangeTimeout: Duration
    /// How long exchanges in flight at the deadline may still finish (not counted in the rate).
    package var grace: Duration

    package init(
        target: Endpoint, parameters: ProfileParameters, connections: Int = 64, duration: Duration = .seconds(5),
        request: [UInt8]? = nil, threads: Int = LoadGenerator.defaultThreads(connections: 64), gracefulClose: Bool = false,
        exchangeTimeout: Duration = .seconds(5), grace: Duration = .seconds(1)
    ) {
        self.target = target
        self.parameters = parameters
        self.connections = connections
        self.duration = duration
        self.request = request
        self.threads = threads
        self.gracefulClose = gracefulClose
        self.exchangeTimeout = exchangeTimeout
        self.grace = grace
    }
}

/// Why an exchange did not count. Raw values are the stable keys of `BenchResult.errors`.
package enum BenchErrorKind: String, Sendable, CaseIterable, Codable {
    /// The server refused the connection (nothing listening, or a full backlog with syncookies off).
    case refused
    /// The connection was reset before the answer was complete.
    case reset
    /// The exchange took longer than the per-exchange timeout.
    case timeout
    /// The answer broke a MUST of the profile (judged by `ResponseJudge`).
    case invalid
    /// The answer was longer than the 1024-byte cap (CORE-4).
    case cap
    /// The client itself could not open a connection: out of fds or local ports.
    case connect
    /// Any other socket error.
    case other
}

/// A snapshot taken about once a second while a run is going.
package struct BenchProgress: Sendable, Hashable {
    package var elapsedSeconds: Double
    package var exchanges: Int
    /// Exchanges per second since the previous snapshot.
    package var recentExchangesPerSecond: Double
    package var errors: Int
}

/// What a run measured.
package struct BenchResult: Sendable, Hashable, Codable {
    package var target: String
    package var profile: String
    package var connections: Int
    package var threads: Int
    /// Exchanges that completed and validated before the deadline.
    package var exchanges: Int
    /// `exchanges` / `durationSeconds`.
    package var exchangesPerSecond: Double
    /// Every kind of `BenchErrorKind`, zero or not, so the JSON keys are stable.
    package var errors: [String: Int]
    /// The first few invalid answers, escaped, with the judge's reason.
    package var invalidExamples: [String]
    package var latency: LatencySummary
    /// The configured duration (the rate's denominator).
    package var durationSeconds: Double
    /// Valid exchanges that finished during the grace period (not in the rate).
    package var completedInGrace: Int
    /// Exchanges still in flight when the grace period ended, abandoned.
    package var unfinished: Int
    /// True when nothing succeeded and every error was a refused connection (nothing listens).
    package var everyConnectionRefused: Bool {
        exchanges + completedInGrace == 0 && (errors[BenchErrorKind.refused.rawValue] ?? 0) > 0
            && errors.filter { $0.key != BenchErrorKind.refused.rawValue }.allSatisfy { $0.value == 0 }
    }

    package var errorCount: Int { errors.values.reduce(0, +) }

    package func errors(_ kind: BenchErrorKind) -> Int { errors[kind.rawValue] ?? 0 }
}

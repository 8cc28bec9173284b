import RandWireProtocol
import RandWireSocket

/// How a `ReferenceServer` serves: the profile and its parameters, where it listens, and its
/// timing (section 8 of the spec).
package struct ServerConfiguration: Sendable {
    package var parameters: ProfileParameters
    /// A numeric IPv4/IPv6 literal (`::` listens on both families) or a host name.
    package var host: String = "127.0.0.1"
    /// 0 picks a free port; read the real one from `ReferenceServer.address`.
    package var port: UInt16 = 0
    /// Event loops, one thread each.
    package var threads: Int = 2
    /// LIMIT-2: how long a connection may take to complete its exchange, from accept.
    package var connectionTimeout: Duration = .milliseconds(Limits.referenceConnectionMilliseconds)
    /// FRAME-3: the quiet time that ends an unterminated request.
    package var requestQuiet: Duration = .milliseconds(Limits.requestQuietMilliseconds)
    /// Called with one structured line per finished connection when set (slows the server down):
    /// `conn=12 peer=127.0.0.1:5555 request="21" end=lf response="42" ms=0.3`.
    /// Runs on the event-loop threads: keep it quick and thread-safe.
    package var logLine: (@Sendable (String) -> Void)? = nil
    /// Called (from an event-loop thread) with a line about a resource problem the server
    /// survives, such as running out of file descriptors; at most once per problem per server.
    /// Writes to stderr by default, so an operator sees it without `logLine`; nil for silence.
    package var warningLine: (@Sendable (String) -> Void)? = ServerConfiguration.writeToStandardError
    /// How the loops share the port: one SO_REUSEPORT listener each (the kernel balances
    /// connections), or one listener every loop waits on with EPOLLEXCLUSIVE.
    package var listenerMode: ListenerMode = .reusePort

    package enum ListenerMode: Sendable {
        case reusePort
        case shared
    }

    package init(parameters: ProfileParameters) {
        self.parameters = parameters
    }

    /// The default `warningLine`: `randwire: <line>` on stderr, one write.
    package static let writeToStandardError: @Sendable (String) -> Void = { line in
        Platform.writeStandardError("randwire: \(line)\n")
    }
}

/// Counts since start, summed over the event loops.
package struct ServerStatistics: Sendable, Hashable, CustomStringConvertible {
    /// Connections accepted.
    package var accepted: Int
    /// Connections that got their whole response.
    package var answered: Int
    /// Connections closed without a response: empty half-close (REQ-2), client reset, early close.
    package var closedWithoutAnswer: Int
    /// Connections closed by the connection timeout (LIMIT-2) before their exchange completed.
    package var timedOut: Int
    /// accept() failures other than "nothing to accept" (EMFILE, ENFILE, ENOBUFS, …).
    package var acceptErrors: Int

    package init(accepted: Int = 0, answered: Int = 0, closedWithoutAnswer: Int = 0, timedOut: Int = 0, acceptErrors: Int = 0) {
        self.accepted = accepted
        self.answered = answered
        self.closedWithoutAnswer = closedWithoutAnswer
        self.timedOut = timedOut
        self.acceptErrors = acceptErrors
    }

    /// Connections accepted but not finished yet.
    package var open: Int { accepted - answered - closedWithoutAnswer - timedOut }

    package var description: String {
        "accepted=\(accepted) answered=\(answered) closed-without-answer=\(closedWithoutAnswer) timed-out=\(timedOut) accept-errors=\(acceptErrors)"
    }
}

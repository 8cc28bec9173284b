import RandWireProtocol
import RandWireSocket

/// How a client ends its request (FRAME-1, FRAME-2; `none` relies on the server's quiet time).
package enum RequestTerminator: String, Sendable, Codable, CaseIterable {
    case halfClose = "half-close"
    case lineFeed = "lf"
    case none
}

/// Deadlines and strictness of the reference client (LIMIT-3, CLIENT-2).
package struct ClientOptions: Sendable {
    package var connectTimeout: Duration = .seconds(3)
    /// Bounds the whole exchange, connect included.
    package var exchangeTimeout: Duration = .seconds(5)
    /// CLIENT-2: a response from a server that never closes ends after this much quiet.
    package var responseQuiet: Duration = .milliseconds(Limits.responseQuietMilliseconds)
    package var requestTerminator: RequestTerminator = .halfClose
    /// Treat SHOULD-level findings (a trailing LF, CORE-6) as errors.
    package var strict: Bool = false

    package init() {}
}

/// What ended the response.
package enum ResponseEnd: String, Sendable, Codable {
    /// The server closed (CLIENT-1).
    case eof
    /// No byte for `responseQuiet` after data: the server did not close (CLIENT-2).
    case quiet
    /// More than 1024 bytes arrived (CORE-4); reading stopped.
    case cap
    /// The exchange deadline passed after some data.
    case timeout
    /// The server reset the connection after some data.
    case reset
}

/// One finished exchange and the judgement of its response.
package struct ExchangeResult: Sendable {
    package let endpoint: Endpoint
    package let localPort: UInt16?
    /// The request content as given (without the terminator); nil for bare and csv.
    package let request: [UInt8]?
    package let response: [UInt8]
    package let endedBy: ResponseEnd
    package let judgement: ResponseJudgement
    package let elapsed: Duration

    package init(
        endpoint: Endpoint, localPort: UInt16?, request: [UInt8]?, response: [UInt8], endedBy: ResponseEnd,
        judgement: ResponseJudgement, elapsed: Duration
    ) {
        self.endpoint = endpoint
        self.localPort = localPort
        self.request = request
        self.response = response
        self.endedBy = endedBy
        self.judgement = judgement
        self.elapsed = elapsed
    }
}

import RandWireProtocol
import RandWireSocket

/// How a client ends its request (FRAME-1, FRAME-2; `none` relies on the server's quiet time).
public enum RequestTerminator: String, Sendable, Codable, CaseIterable {
    case halfClose = "half-close"
    case lineFeed = "lf"
    case none
}

/// Deadlines and strictness of the reference client (LIMIT-3, CLIENT-2).
public struct ClientOptions: Sendable {
    public var connectTimeout: Duration = .seconds(3)
    /// Bounds the whole exchange, connect included.
    public var exchangeTimeout: Duration = .seconds(5)
    /// CLIENT-2: a response from a server that never closes ends after this much quiet.
    public var responseQuiet: Duration = .milliseconds(Limits.responseQuietMilliseconds)
    public var requestTerminator: RequestTerminator = .halfClose
    /// Treat SHOULD-level findings (a trailing LF, CORE-6) as errors.
    public var strict: Bool = false

    public init() {}
}

/// What ended the response.
public enum ResponseEnd: String, Sendable, Codable {
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
public struct ExchangeResult: Sendable {
    public let endpoint: Endpoint
    public let localPort: UInt16?
    /// The request content as given (without the terminator); nil for bare and csv.
    public let request: [UInt8]?
    public let response: [UInt8]
    public let endedBy: ResponseEnd
    public let judgement: ResponseJudgement
    public let elapsed: Duration

    public init(
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

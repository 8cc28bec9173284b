/// What ended a request (section 5).
public enum RequestEnd: String, Sendable, Codable, Hashable {
    /// FRAME-1: an LF (a CR right before it is dropped).
    case lineFeed = "lf"
    /// FRAME-2: the client half-closed.
    case halfClose = "half-close"
    /// FRAME-3: bytes arrived and then nothing for the quiet time.
    case quiet
    /// LIMIT-1: more than the cap arrived with no terminator; the server stops reading.
    case overCap = "over-cap"
}

/// A complete request: its content (terminator removed) and what ended it.
public struct Request: Sendable, Hashable {
    public let content: [UInt8]
    public let end: RequestEnd

    public init(content: [UInt8], end: RequestEnd) {
        self.content = content
        self.end = end
    }
}

/// Accumulates request bytes as they arrive and decides when the request is complete. Pure
/// state machine: the I/O layer feeds it chunks, and tells it about EOF and quiet time.
/// Never holds more than `Limits.maxRequestBytes + 2` bytes (LIMIT-1).
public struct RequestAccumulator: Sendable {
    public enum State: Sendable, Hashable {
        case incomplete
        case complete(Request)
        /// The client half-closed before sending a byte (REQ-2).
        case emptyAtEOF
    }

    public private(set) var buffered: [UInt8] = []
    public private(set) var state: State = .incomplete

    public init() {
        buffered.reserveCapacity(64)
    }

    /// How many more bytes the reader may take: reading beyond is pointless (LIMIT-1).
    public var readBudget: Int { Limits.maxRequestBytes + 2 - buffered.count }

    public var hasBytes: Bool { !buffered.isEmpty }

    /// Feed newly read bytes. Returns the new state; bytes after a complete request are ignored.
    @discardableResult
    public mutating func append(_ chunk: some Collection<UInt8>) -> State {
        guard case .incomplete = state else { return state }
        for byte in chunk {
            if byte == 0x0A {
                var content = buffered
                if content.last == 0x0D { content.removeLast() }
                if content.count > Limits.maxRequestBytes {
                    state = .complete(Request(content: content, end: .overCap))
                } else {
                    state = .complete(Request(content: content, end: .lineFeed))
                }
                return state
            }
            buffered.append(byte)
            // One byte of slack for a CR that may precede the LF.
            if buffered.count > Limits.maxRequestBytes + 1 {
                state = .complete(Request(content: buffered, end: .overCap))
                return state
            }
        }
        return state
    }

    /// The client half-closed (read returned 0).
    @discardableResult
    public mutating func finishAtEOF() -> State {
        guard case .incomplete = state else { return state }
        state = buffered.isEmpty ? .emptyAtEOF : .complete(Request(content: buffered, end: ended(.halfClose)))
        return state
    }

    /// No byte arrived for the quiet time. Only ends a request that has at least one byte.
    @discardableResult
    public mutating func finishAtQuiet() -> State {
        guard case .incomplete = state, !buffered.isEmpty else { return state }
        state = .complete(Request(content: buffered, end: ended(.quiet)))
        return state
    }

    private func ended(_ end: RequestEnd) -> RequestEnd {
        buffered.count > Limits.maxRequestBytes ? .overCap : end
    }
}

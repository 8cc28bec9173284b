/// How strongly the spec asks for something (RFC 2119).
public enum RequirementLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case must = "MUST"
    case should = "SHOULD"
    case may = "MAY"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        let order: [Self] = [.must, .should, .may]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// Who a requirement binds: the runner can only judge server requirements black-box;
/// client and checker requirements are covered by the test suite.
public enum RequirementRole: String, Sendable, Codable {
    case server, client, checker
}

/// One numbered requirement of `Spec/randwire.md`. The ID is stable forever: never renumber,
/// only add or mark withdrawn.
public struct Requirement: Sendable, Hashable, Codable {
    public let id: String
    public let level: RequirementLevel
    public let role: RequirementRole
    /// The spec section the requirement lives in, e.g. "3" or "6.4".
    public let section: String
    public let summary: String

    public init(_ id: String, _ level: RequirementLevel, _ role: RequirementRole, section: String, _ summary: String) {
        self.id = id
        self.level = level
        self.role = role
        self.section = section
        self.summary = summary
    }
}

/// The requirement table of the spec, mirrored in code. `SpecTraceTests` checks that this table
/// and the table at the end of `Spec/randwire.md` list the same IDs with the same levels.
public enum Requirements {
    public static let all: [Requirement] = [
        // 3. Transport and lifecycle
        Requirement("CORE-1", .must, .server, section: "3", "A server listens on TCP over IPv4 or IPv6 and accepts connections at its advertised address."),
        Requirement("CORE-2", .must, .server, section: "3", "One exchange per connection: at most one response is sent on a connection."),
        Requirement("CORE-3", .must, .server, section: "3", "The server closes the connection (FIN) after writing the response; the close delimits the response."),
        Requirement("CORE-4", .must, .server, section: "3", "A response is at most 1024 bytes."),
        Requirement("CORE-5", .should, .server, section: "3", "A response is written with a single write, so one recv(1024) sees all of it."),
        Requirement("CORE-6", .should, .server, section: "3", "A server does not end the response with LF or CRLF."),
        Requirement("CORE-7", .must, .client, section: "3", "A client accepts one trailing LF or CRLF after the response and ignores it."),
        Requirement("CORE-8", .must, .server, section: "3", "Messages are UTF-8; numbers and default tokens are ASCII; nothing but the response is sent (no banner, prompt or log)."),
        Requirement("CORE-9", .must, .server, section: "3", "A server keeps accepting and serving new connections after each exchange."),
        Requirement("CORE-10", .must, .server, section: "4", "Numbers are written in canonical decimal: optional '-', no '+', no leading zeros, no spaces, '0' not '-0'."),
        // 5. Request framing (request, parity, double)
        Requirement("FRAME-1", .must, .server, section: "5", "A request ends at the first LF; a CR right before it is not part of the request."),
        Requirement("FRAME-2", .must, .server, section: "5", "A request ends when the client half-closes (EOF)."),
        Requirement("FRAME-3", .must, .server, section: "5", "An unterminated request ends after a quiet time of 20-200 ms with no new bytes; the server answers it without waiting for LF."),
        Requirement("FRAME-4", .must, .server, section: "5", "A request split over several writes less than 20 ms apart is assembled, not answered piecewise."),
        Requirement("FRAME-5", .must, .server, section: "5", "A server sends no byte before the request is complete."),
        Requirement("FRAME-6", .should, .client, section: "5", "A client ends its request with LF or a half-close, so the server need not wait for the quiet time."),
        // 6.1 bare
        Requirement("BARE-1", .must, .server, section: "6.1", "On accept the server sends one number in [min, max] without waiting for any client bytes."),
        Requirement("BARE-2", .must, .client, section: "6.1", "A bare client sends nothing; the server may reset a connection on which it received bytes."),
        // 6.2 csv
        Requirement("CSV-1", .must, .server, section: "6.2", "On accept the server sends exactly `count` numbers joined by single commas: no spaces, no trailing comma."),
        Requirement("CSV-2", .must, .server, section: "6.2", "Every number of the batch lies in [min, max]."),
        Requirement("CSV-3", .must, .server, section: "6.2", "Batch values are independent draws: duplicates occur as often as chance predicts, no sorting, no drawing without replacement."),
        // 6.3 request
        Requirement("REQ-1", .must, .server, section: "6.3", "The server answers any non-empty request with one number in [min, max]; the request's content is free."),
        Requirement("REQ-2", .must, .server, section: "6.3", "A client that half-closes without sending a byte gets no answer: the server just closes."),
        Requirement("REQ-3", .must, .server, section: "6.3", "A request longer than the request cap is still answered with a number, after at most 1024 bytes are read."),
        // 6.4 parity
        Requirement("PARITY-1", .must, .server, section: "6.4", "A decimal integer with at most 10 digits (sign excluded, leading zeros counted) is answered with the even or odd token."),
        Requirement("PARITY-2", .must, .server, section: "6.4", "A decimal integer with more than 10 digits is answered with the too-long answer: the token, or in same-length mode a string as long as the request."),
        Requirement("PARITY-3", .must, .server, section: "6.4", "A request that is not a decimal integer (empty, letters, spaces, float, binary, invalid UTF-8) is answered with the error token."),
        Requirement("PARITY-4", .must, .server, section: "6.4", "A request over the 1024-byte cap is answered with the error token."),
        Requirement("PARITY-5", .must, .server, section: "6.4", "Tokens are compared byte for byte with the profile's token parameters (defaults even, odd, too-long, error)."),
        // 6.5 double
        Requirement("DOUBLE-1", .must, .server, section: "6.5", "A decimal integer of any length up to the cap is answered with twice its value, exactly, in canonical form."),
        Requirement("DOUBLE-2", .must, .server, section: "6.5", "A request that is not a decimal integer, including an empty one, is answered with the error token."),
        Requirement("DOUBLE-3", .must, .server, section: "6.5", "A request over the 1024-byte cap, or whose double would not fit in a 1024-byte response, is answered with the error token."),
        Requirement("DOUBLE-4", .may, .client, section: "6.5", "A client may spread requests over several equivalent servers, picking one at random and failing over."),
        // 7. Randomness
        Requirement("RAND-1", .must, .server, section: "7", "Every number is a uniform draw over [min, max]: each value equally likely, both ends reachable."),
        Requirement("RAND-2", .must, .server, section: "7", "Draws are independent between connections and between positions in a batch."),
        Requirement("RAND-3", .must, .server, section: "7", "The generator is a CSPRNG or seeded once; it is never re-seeded per connection from the clock."),
        Requirement("RAND-4", .must, .checker, section: "7", "A checker's statistical test fails a correct server with probability at most 1e-6 per test."),
        Requirement("RAND-5", .should, .checker, section: "7", "A checker reports n, the statistic, p, the threshold and the smallest deviation it could detect."),
        // 8. Timeouts and limits
        Requirement("LIMIT-1", .must, .server, section: "8", "A server reads at most 1024 request bytes plus a terminator and never buffers more per connection."),
        Requirement("LIMIT-2", .should, .server, section: "8", "A server closes a connection that has not completed its exchange within 10 s of accept (reference: 5 s)."),
        Requirement("LIMIT-3", .must, .client, section: "8", "A client bounds connect, each read and the whole exchange with deadlines, and caps a response at 1024 bytes."),
        // 9. Robustness
        Requirement("ROBUST-1", .must, .server, section: "9", "A server survives any input (bad bytes, resets, early close, floods) and keeps serving other connections."),
        Requirement("ROBUST-2", .should, .server, section: "9", "An idle or slow client does not delay the answers to other clients."),
        // 10. Clients and servers that never close
        Requirement("CLIENT-1", .must, .client, section: "10", "A client ends the response at EOF."),
        Requirement("CLIENT-2", .should, .client, section: "10", "If the server does not close, a client ends the response after 200 ms of quiet following data, and reports that the server did not close."),
        Requirement("CLIENT-3", .must, .client, section: "10", "A client rejects a response over 1024 bytes, empty, or not matching the profile's grammar, naming what was wrong; a program making one exchange then exits non-zero."),
        Requirement("CLIENT-4", .must, .client, section: "10", "A client sends at most one request on a connection and nothing after it; another number needs a new connection."),
    ]

    private static let byID: [String: Requirement] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    public static func requirement(_ id: String) -> Requirement? { byID[id] }
}

import RandWireProtocol
import RandWireSocket

/// Why an exchange failed; `description` is one line for people.
package enum ClientError: Error, Sendable, CustomStringConvertible {
    /// No endpoint could be connected to (refused, unresolvable, timed out): CLI exit 69.
    case unreachable([Endpoint: SocketError])
    /// The response broke the spec (or, when strict, a SHOULD): CLI exit 1.
    case malformed(ExchangeResult)
    /// The connection failed mid-exchange (reset, timeout): CLI exit 1.
    case failed(Endpoint, SocketError)

    package var description: String {
        switch self {
        case let .unreachable(errors):
            guard !errors.isEmpty else { return "no endpoint to connect to" }
            let parts = errors.sorted { $0.key.description < $1.key.description }.map { "\($0.key): \($0.value)" }
            return "cannot connect: " + parts.joined(separator: "; ")
        case let .malformed(result):
            return result.judgement.problem ?? "malformed response \(ByteEscaping.escape(result.response))"
        case let .failed(endpoint, error):
            return "\(endpoint): \(error)"
        }
    }
}

import CRandWireSystem

/// A failed socket operation, classified so callers can react to the kind and report the rest.
/// `description` is one line: `connect: Connection refused (errno 111)`.
package struct SocketError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Kind: String, Sendable {
        case refused, timeout, reset, unreachable, resolution, closed, limit, other
    }

    package let kind: Kind
    /// The operation that failed, usually the syscall name (`connect`, `recv`, `resolve 'host'`).
    package let operation: String
    /// The errno, or 0 when there is none (resolution failures, deadlines).
    package let errno: Int32
    package let message: String

    package init(kind: Kind, operation: String, errno: Int32, message: String) {
        self.kind = kind
        self.operation = operation
        self.errno = errno
        self.message = message
    }

    /// An error from a syscall's errno, classified and described with strerror.
    package init(operation: String, errno code: Int32) {
        self.init(kind: Self.kind(of: code), operation: operation, errno: code, message: Platform.message(for: code))
    }

    package var description: String {
        errno == 0 ? "\(operation): \(message)" : "\(operation): \(message) (errno \(errno))"
    }

    /// The deadline of `operation` passed.
    package static func timeout(_ operation: String) -> SocketError {
        SocketError(kind: .timeout, operation: operation, errno: ETIMEDOUT, message: Platform.message(for: ETIMEDOUT))
    }

    /// `operation` was attempted on a connection or listener that was already closed.
    package static func closed(_ operation: String) -> SocketError {
        SocketError(kind: .closed, operation: operation, errno: EBADF, message: "the socket is closed")
    }

    package static func kind(of code: Int32) -> Kind {
        switch code {
        case ECONNREFUSED: .refused
        case ETIMEDOUT: .timeout
        case ECONNRESET, ECONNABORTED: .reset
        case EPIPE, EBADF, ENOTCONN, ESHUTDOWN: .closed
        case ENETUNREACH, EHOSTUNREACH, ENETDOWN, EHOSTDOWN, EADDRNOTAVAIL, EAFNOSUPPORT: .unreachable
        case EMFILE, ENFILE, ENOBUFS, ENOMEM: .limit
        default: .other
        }
    }
}

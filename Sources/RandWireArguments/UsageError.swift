/// A command line that does not match its spec; the message is one user-facing sentence.
public struct UsageError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    static func invalidValue(_ value: String, for synopsis: String, expected: String) -> UsageError {
        UsageError("The value '\(value)' is invalid for '\(synopsis)': expected \(expected)")
    }
}

/// A command line that does not match its spec; the message is one user-facing sentence.
package struct UsageError: Error, Sendable, Hashable, CustomStringConvertible {
    package let message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }

    static func invalidValue(_ value: String, for synopsis: String, expected: String) -> UsageError {
        UsageError("The value '\(value)' is invalid for '\(synopsis)': expected \(expected)")
    }
}

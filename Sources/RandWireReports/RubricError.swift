/// A rubric file that cannot be used. The description names the file and the field:
/// `rubric.json: points."random.*": expected a number ≥ 0, got "two"`.
package struct RubricError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rubric file, when the rubric came from one.
    package var path: String?
    /// The offending field as a path: `points."random.*"`, `hidden[2]`, `partialCredit.warn`.
    package let field: String
    package let message: String

    package init(path: String? = nil, field: String, message: String) {
        self.path = path
        self.field = field
        self.message = message
    }

    package var description: String {
        let location = path.map { "\($0): " } ?? "rubric: "
        return field.isEmpty ? location + message : location + field + ": " + message
    }
}

/// One positional argument of a command, such as `<host:port>`.
package struct PositionalSpec: Sendable {
    /// The placeholder without angle brackets, e.g. `host:port`.
    package let name: String
    /// One line of help; wrapped to the terminal width.
    package let help: String
    /// Whether the argument may be left out. Only trailing positionals may be optional.
    package let isOptional: Bool
    /// Whether the argument takes all remaining values. Only the last positional may be variadic.
    package let isVariadic: Bool

    /// Creates a positional argument.
    ///
    /// - Parameters:
    ///   - name: The placeholder, with or without angle brackets (`host:port` or `<host:port>`).
    ///   - help: The help text.
    ///   - optional: Whether the argument may be left out (a variadic one may then be empty).
    ///   - variadic: Whether the argument collects every remaining value.
    package init(_ name: String, help: String, optional: Bool = false, variadic: Bool = false) {
        self.name = OptionSpec.strippingAngleBrackets(name)
        self.help = help
        self.isOptional = optional
        self.isVariadic = variadic
    }

    /// `<name>` as shown in help labels and error messages.
    var label: String { "<\(name)>" }

    /// The usage-line form: `<a>`, `[<a>]`, `<a> ...` or `[<a> ...]`.
    var synopsis: String {
        let core = isVariadic ? "\(label) ..." : label
        return isOptional ? "[\(core)]" : core
    }
}

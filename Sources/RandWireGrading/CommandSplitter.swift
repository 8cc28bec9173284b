/// Splits a roster command into arguments the way a POSIX shell would for plain words and
/// quotes, and nothing more: no variables, globs, pipes or redirections, so what runs is exactly
/// what the roster says. `--shell` hands the whole line to `/bin/sh -c` instead.
///
/// - Spaces, tabs and line breaks separate arguments.
/// - `'…'` keeps everything literally; `"…"` too, except that `\"` and `\\` stand for `"` and `\`.
/// - Outside quotes, `\` makes the next character literal.
/// - `''` or `""` is an empty argument.
package enum CommandSplitter {
    package struct SplitError: Error, Sendable, Hashable, CustomStringConvertible {
        package let description: String
    }

    package static func split(_ command: String) throws(SplitError) -> [String] {
        var arguments: [String] = []
        var current = ""
        var inWord = false
        var chars = command.makeIterator()
        while let c = chars.next() {
            switch c {
            case " ", "\t", "\n", "\r", "\r\n":
                if inWord {
                    arguments.append(current)
                    current = ""
                    inWord = false
                }
            case "'":
                inWord = true
                var closed = false
                while let d = chars.next() {
                    if d == "'" {
                        closed = true
                        break
                    }
                    current.append(d)
                }
                if !closed { throw SplitError(description: "a single quote (') is never closed") }
            case "\"":
                inWord = true
                var closed = false
                while let d = chars.next() {
                    if d == "\"" {
                        closed = true
                        break
                    }
                    if d == "\\" {
                        guard let e = chars.next() else { break }
                        if e != "\"" && e != "\\" { current.append("\\") }
                        current.append(e)
                    } else {
                        current.append(d)
                    }
                }
                if !closed { throw SplitError(description: "a double quote (\") is never closed") }
            case "\\":
                inWord = true
                guard let next = chars.next() else { throw SplitError(description: "a backslash ends the command") }
                current.append(next)
            default:
                inWord = true
                current.append(c)
            }
        }
        if inWord { arguments.append(current) }
        return arguments
    }

    /// The arguments written back as one line a shell would split the same way: for reports.
    package static func join(_ arguments: [String]) -> String {
        arguments.map(quote).joined(separator: " ")
    }

    static func quote(_ argument: String) -> String {
        let plain = !argument.isEmpty && argument.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9": true
            case "-", "_", ".", "/", ":", "=", ",", "+", "@", "%", "{", "}": true
            default: false
            }
        }
        if plain { return argument }
        return "'" + argument.replacingAll("'", with: "'\\''") + "'"
    }
}

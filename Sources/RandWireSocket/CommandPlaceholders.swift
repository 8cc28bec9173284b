/// The placeholders a server or client command takes for where to listen or connect: `{port}`,
/// `$PORT`, `${PORT}` and `{host}`. One definition for `grade`, `check --exec` and `check-client`.
package enum CommandPlaceholders {
    package static func substitute(_ word: String, port: UInt16, host: String = "127.0.0.1") -> String {
        let number = String(port)
        return word.replacing("{port}", with: number).replacing("${PORT}", with: number)
            .replacing("$PORT", with: number).replacing("{host}", with: host)
    }
}

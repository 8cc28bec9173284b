import Testing
@testable import RandWireArguments

@Suite("Usage errors")
struct UsageErrorTests {
    @Test(
        "exact error messages",
        arguments: [
            (["check", "--foo", "h:1"], "Unknown option '--foo'. Did you mean '--food'?"),
            (["check", "--prot", "80", "h:1"], "Unknown option '--prot'. Did you mean '--port'?"),
            (["check", "--jsn", "h:1"], "Unknown option '--jsn'. Did you mean '--json'?"),
            (["check", "-jsn", "h:1"], "Unknown option '-jsn'. Did you mean '--json'?"),
            (["check", "--zzzzzz", "h:1"], "Unknown option '--zzzzzz'"),
            (["check", "-x", "h:1"], "Unknown option '-x'"),
            (["check", "-vx", "h:1"], "Unknown option '-x'"),
            (["check", "h:1", "--port"], "Missing value for '--port <port>'"),
            (["check", "h:1", "-p"], "Missing value for '-p <port>'"),
            (["check", "--port", "--json", "h:1"], "Missing value for '--port <port>'"),
            (["check", "--port", "--", "h:1"], "Missing value for '--port <port>'"),
            (["check"], "Missing expected argument '<host:port>'"),
            (["check", "--json"], "Missing expected argument '<host:port>'"),
            (["cat"], "Missing expected argument '<first>'"),
            (["check", "h:1", "x"], "Unexpected argument 'x'"),
            (["serve", "x", "y"], "Unexpected argument 'x'"),
            (["check", "--json=yes", "h:1"], "The option '--json' does not take any value, but 'yes' was specified."),
            (["check", "-v=1", "h:1"], "The option '-v' does not take any value, but '1' was specified."),
            (["chek"], "Unknown subcommand 'chek'. Did you mean 'check'? Valid subcommands: check, serve, cat."),
            (["frobnicate"], "Unknown subcommand 'frobnicate'. Valid subcommands: check, serve, cat."),
            (["--", "check"], "Unexpected argument 'check'"),
            (["check", "--version", "h:1"], "Unknown option '--version'"),
            (["--version=2"], "Unknown option '--version'"),
        ])
    func messages(_ arguments: [String], _ message: String) {
        #expect(Fixtures.usageMessage(arguments) == message)
    }

    @Test("only the first error is reported")
    func firstErrorWins() {
        #expect(Fixtures.usageMessage(["check", "--bogus", "--port"]) == "Unknown option '--bogus'")
    }

    @Test("the error path is the deepest command reached")
    func errorPath() throws {
        let outcome = try #require(Fixtures.outcome(["check", "--bogus", "h:1"]))
        guard case let .usage(_, path) = outcome else {
            Issue.record("expected a usage error, got \(outcome)")
            return
        }
        #expect(path.map(\.name) == ["randwire", "check"])
    }

    @Test("the error text has the message, the usage line and a pointer to --help")
    func usageErrorText() {
        let text = ArgumentParser.usageErrorText(
            UsageError("Missing expected argument '<host:port>'"), path: [Fixtures.root, Fixtures.check])
        #expect(
            text == """
                Error: Missing expected argument '<host:port>'
                Usage: randwire check <options> <host:port>
                  See 'randwire check --help' for more information.

                """)
    }

    @Test("UsageError and ParseOutcome describe themselves in one line")
    func descriptions() {
        #expect(UsageError("boom").description == "boom")
        #expect(ParseOutcome.usage(UsageError("boom"), path: []).description == "boom")
        #expect(ParseOutcome.help(path: [Fixtures.root, Fixtures.check]).description == "help requested for 'randwire check'")
        #expect(ParseOutcome.version.description == "version requested")
    }
}

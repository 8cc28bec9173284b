import Testing
@testable import RandWireArguments

@Suite("Help and version requests")
struct HelpRequestTests {
    @Test(
        "-h and --help anywhere ask for the help of the deepest command",
        arguments: [
            (["--help"], ["randwire"]),
            (["-h"], ["randwire"]),
            (["check", "--help"], ["randwire", "check"]),
            (["check", "h:1", "-h"], ["randwire", "check"]),
            (["-h", "check"], ["randwire", "check"]),
            (["check", "-vh"], ["randwire", "check"]),
            (["check", "--port", "-h"], ["randwire", "check"]),
            (["check", "--bogus", "--help"], ["randwire", "check"]),
        ])
    func helpFlag(_ arguments: [String], _ path: [String]) {
        #expect(Fixtures.helpPath(arguments) == path)
    }

    @Test("'help' is a pseudo-subcommand", arguments: [(["help", "check"], ["check", "--help"]), (["help"], ["--help"])])
    func helpPseudoSubcommand(_ pseudo: [String], _ flag: [String]) throws {
        let viaPseudo = try #require(Fixtures.helpPath(pseudo))
        #expect(viaPseudo == Fixtures.helpPath(flag))
    }

    @Test("'help' with an unknown or extra name is a usage error")
    func helpPseudoErrors() {
        #expect(
            Fixtures.usageMessage(["help", "nope"])
                == "Unknown subcommand 'nope'. Valid subcommands: check, serve, cat.")
        #expect(Fixtures.usageMessage(["help", "check", "extra"]) == "Unexpected argument 'extra'")
    }

    @Test("a root without a subcommand asks for its help, even with root options")
    func rootWithoutSubcommand() {
        #expect(Fixtures.helpPath([]) == ["randwire"])
        #expect(Fixtures.helpPath(["--no-color"]) == ["randwire"])
    }

    @Test("--version on the root asks for the version; help still wins")
    func version() throws {
        let outcome = try #require(Fixtures.outcome(["--version"]))
        guard case .version = outcome else {
            Issue.record("expected .version, got \(outcome)")
            return
        }
        #expect(Fixtures.helpPath(["--version", "--help"]) == ["randwire"])
    }

    @Test("a root that declares --version itself gets it as an ordinary option")
    func declaredVersionOption() throws {
        let root = CommandSpec(
            name: "tool", abstract: "", options: [OptionSpec(["--version"], help: "Print it.")],
            positionals: [PositionalSpec("x", help: "", optional: true)])
        let (_, parsed) = try ArgumentParser.parse(["--version"], root: root)
        #expect(parsed.flag("--version"))
    }

    @Test("a leaf root parses its own options and positionals")
    func leafRoot() throws {
        let root = CommandSpec(
            name: "echo", abstract: "Echo.", options: [OptionSpec(["-n"], help: "No newline.")],
            positionals: [PositionalSpec("words", help: "", optional: true, variadic: true)])
        let (spec, parsed) = try ArgumentParser.parse(["-n", "a", "b"], root: root)
        #expect(spec.name == "echo")
        #expect(parsed.flag("-n"))
        #expect(parsed.positionals == ["a", "b"])
        #expect(parsed.command == ["echo"])
    }
}

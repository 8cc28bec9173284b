import Testing
@testable import RandWireArguments

@Suite("Help text")
struct HelpTextTests {
    @Test("a leaf command's help, snapshot")
    func leafSnapshot() {
        #expect(
            ArgumentParser.helpText(for: [Fixtures.root, Fixtures.check]) == """
                OVERVIEW: Check a server against a profile.

                Connects to the server many times and judges every answer.

                USAGE: randwire check <options> <host:port>

                ARGUMENTS:
                  <host:port>             The server to check.

                OPTIONS:
                  --profile <profile>     The profile to expect. (default: bare)
                  -c, --connections <n>   Connections to open. (default: 64)
                  -p, --port <port>       The port to use.
                  --ratio <x>             A ratio.
                  --food <food>           Something to eat.
                  --ports <list>          Comma-separated ports. (default: 1, 2)
                  -H, --header <header>   An extra header.
                  --json                  Print JSON.
                  -v, --verbose           Say more.
                  -q, --quiet             Say less.
                  -h, --help              Show help information.

                """)
    }

    @Test("a root's help lists subcommands and points at 'help <subcommand>', snapshot")
    func rootSnapshot() {
        #expect(
            ArgumentParser.helpText(for: [Fixtures.root]) == """
                OVERVIEW: Random numbers over TCP.

                USAGE: randwire <options> <subcommand>

                OPTIONS:
                  --no-color              Disable colours.
                  --version               Show the version.
                  -h, --help              Show help information.

                SUBCOMMANDS:
                  check                   Check a server against a profile.
                  serve                   Run the reference server.
                  cat                     Print files.
                  help                    Show subcommand help information.

                  See 'randwire help <subcommand>' for detailed help.

                """)
    }

    @Test("variadic and optional positionals in usage and ARGUMENTS, snapshot")
    func positionalsSnapshot() {
        #expect(
            ArgumentParser.helpText(for: [Fixtures.root, Fixtures.cat]) == """
                OVERVIEW: Print files.

                USAGE: randwire cat <first> [<rest> ...]

                ARGUMENTS:
                  <first>                 The first file.
                  <rest>                  More files.

                OPTIONS:
                  -h, --help              Show help information.

                """)
    }

    @Test("help wraps to the width with a hanging indent at column 26")
    func wrapsHelp() {
        let command = CommandSpec(
            name: "run",
            abstract: "Run the thing with all the settings that one could ever want.",
            options: [
                OptionSpec(
                    ["--timeout", "-t"], value: "ms",
                    help: "How long to wait for each answer before giving up on it.", defaultValue: "500"),
                OptionSpec(["--a-very-long-option-name"], value: "value", help: "Long label."),
                OptionSpec(["--bare"], help: ""),
            ])
        let text = ArgumentParser.helpText(for: [command], width: 50)
        #expect(
            text == """
                OVERVIEW: Run the thing with all the settings that
                one could ever want.

                USAGE: run <options>

                OPTIONS:
                  -t, --timeout <ms>      How long to wait for
                                          each answer before
                                          giving up on it.
                                          (default: 500)
                  --a-very-long-option-name <value>
                                          Long label.
                  --bare
                  --version               Show the version.
                  -h, --help              Show help information.

                """)
    }

    @Test("no wrapped line is wider than the width", arguments: [46, 50, 60, 80, 120])
    func respectsWidth(_ width: Int) {
        let text = ArgumentParser.helpText(for: [Fixtures.root, Fixtures.check], width: width)
        for line in text.split(separator: "\n") where !line.hasPrefix("USAGE:") {
            #expect(line.count <= width, "\(line)")
        }
    }

    @Test("a nested command with subcommands points at 'root help nested <subcommand>'")
    func nestedGroup() {
        let group = CommandSpec(name: "grade", abstract: "Grade a class.", subcommands: [Fixtures.serve])
        let root = CommandSpec(name: "randwire", abstract: "", subcommands: [group])
        let text = ArgumentParser.helpText(for: [root, group])
        #expect(text.hasPrefix("OVERVIEW: Grade a class.\n\nUSAGE: randwire grade <subcommand>\n"))
        #expect(text.hasSuffix("\n\n  See 'randwire help grade <subcommand>' for detailed help.\n"))
        #expect(!text.contains("--version"))
        do {
            _ = try ArgumentParser.parse(["grade"], root: root)
            Issue.record("a group without a subcommand should ask for help")
        } catch {
            guard case let .help(path) = error else {
                Issue.record("expected help, got \(error)")
                return
            }
            #expect(path.map(\.name) == ["randwire", "grade"])
        }
    }

    @Test(
        "usage lines",
        arguments: [
            ([Fixtures.root], "randwire <options> <subcommand>"),
            ([Fixtures.root, Fixtures.check], "randwire check <options> <host:port>"),
            ([Fixtures.root, Fixtures.serve], "randwire serve <options>"),
            ([Fixtures.root, Fixtures.cat], "randwire cat <first> [<rest> ...]"),
            ([], ""),
        ])
    func usageLines(_ path: [CommandSpec], _ expected: String) {
        #expect(ArgumentParser.usageLine(for: path) == expected)
    }
}

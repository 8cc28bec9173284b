import Testing
@testable import RandWireArguments

@Suite("Wrapping, edit distance and spec checks")
struct InternalsTests {
    @Test(
        "word wrapping",
        arguments: [
            ("alpha beta gamma delta epsilon", 22, 0, "alpha beta gamma delta\nepsilon"),
            ("alpha beta gamma delta epsilon", 25, 3, "   alpha beta gamma delta\n   epsilon"),
            ("one two three four", 30, 4, "    one two three four"),
            ("a\n\nb", 30, 2, "  a\n\n  b"),
            ("  indented example\nnext", 30, 0, "  indented example\nnext"),
            ("supercalifragilisticexpialidocious word", 20, 0, "supercalifragilisticexpialidocious\nword"),
            ("many    spaces", 30, 0, "many spaces"),
            ("", 30, 0, ""),
        ])
    func wrapping(_ text: String, _ width: Int, _ indent: Int, _ expected: String) {
        #expect(TextWrapping.wrap(text, width: width, indent: indent) == expected)
    }

    @Test("wrapping keeps at least 20 columns for text")
    func wrappingFloor() {
        let text = TextWrapping.wrap("aaaa bbbb cccc dddd eeee", width: 10, indent: 0)
        #expect(text == "aaaa bbbb cccc dddd\neeee")
    }

    @Test(
        "edit distance",
        arguments: [
            ("", "", 0), ("abc", "", 3), ("", "ab", 2), ("--port", "--port", 0), ("--prot", "--port", 1),
            ("--foo", "--food", 1), ("--jsn", "--json", 1), ("kitten", "sitting", 3), ("-jsn", "--json", 2),
        ])
    func editDistance(_ a: String, _ b: String, _ distance: Int) {
        #expect(EditDistance.between(a, b) == distance)
        #expect(EditDistance.between(b, a) == distance)
    }

    @Test("suggestions pick the closest within two edits, earliest on ties")
    func suggestions() {
        #expect(EditDistance.closest(to: "--colr", among: ["--count", "--color", "--colour"]) == "--color")
        #expect(EditDistance.closest(to: "--ab", among: ["--ax", "--ay"]) == "--ax")
        #expect(EditDistance.closest(to: "--xyzzy", among: ["--port", "--json"]) == nil)
    }

    @Test(
        "spec problems are found",
        arguments: [
            ([OptionSpec(["--a"], help: ""), OptionSpec(["--a"], help: "")], [], [], "'--a' is declared twice"),
            ([OptionSpec(["-h"], help: "")], [], [], "'-h' is declared twice or reserved"),
            ([OptionSpec(["--help"], help: "")], [], [], "'--help' is declared twice or reserved"),
            ([], [PositionalSpec("a", help: "", variadic: true), PositionalSpec("b", help: "")], [], "'<a>' is not last"),
            ([], [PositionalSpec("a", help: "", optional: true), PositionalSpec("b", help: "")], [], "'<b>' follows"),
            ([], [PositionalSpec("a", help: "")], [Fixtures.serve], "cannot take positionals"),
            ([], [], [Fixtures.serve, Fixtures.serve], "'serve' is declared twice"),
        ] as [([OptionSpec], [PositionalSpec], [CommandSpec], String)])
    func specProblems(
        _ options: [OptionSpec], _ positionals: [PositionalSpec], _ subcommands: [CommandSpec], _ fragment: String
    ) {
        let problems = CommandSpec.problems(
            name: "x", options: options, positionals: positionals, subcommands: subcommands)
        #expect(problems.count == 1)
        #expect(problems.first?.contains(fragment) == true, "\(problems)")
    }

    @Test("a valid spec has no problems; bad command names do")
    func validSpec() {
        #expect(
            CommandSpec.problems(
                name: "check", options: Fixtures.check.options, positionals: Fixtures.check.positionals,
                subcommands: []
            ).isEmpty)
        #expect(!CommandSpec.problems(name: "-x", options: [], positionals: [], subcommands: []).isEmpty)
        #expect(!CommandSpec.problems(name: "", options: [], positionals: [], subcommands: []).isEmpty)
    }

    @Test(
        "option name syntax",
        arguments: [("--port", true), ("-p", true), ("--p", true), ("-port", false), ("port", false), ("--", false),
                    ("-", false), ("--a=b", false), ("--a b", false)])
    func optionNames(_ name: String, _ valid: Bool) {
        #expect(OptionSpec.isWellFormed(name) == valid)
    }

    @Test("angle brackets on value and positional names are optional")
    func angleBrackets() {
        #expect(OptionSpec(["--n"], value: "<n>", help: "").valueName == "n")
        #expect(PositionalSpec("<host:port>", help: "").name == "host:port")
        #expect(OptionSpec(["--port", "-p"], value: "port", help: "").helpLabel == "-p, --port <port>")
        #expect(OptionSpec(["-p", "--port"], help: "").preferredName == "--port")
        #expect(OptionSpec(["-p"], help: "").preferredName == "-p")
    }

    @Test("a malformed option name stops the program")
    func malformedOptionNameTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = OptionSpec(["port"], help: "")
        }
    }
}

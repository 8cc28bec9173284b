import Testing
@testable import RandWireArguments

@Suite("Option syntax")
struct OptionSyntaxTests {
    @Test(
        "every spelling of a value option",
        arguments: [
            ["check", "--port", "80", "h:1"],
            ["check", "--port=80", "h:1"],
            ["check", "-p", "80", "h:1"],
            ["check", "-p80", "h:1"],
            ["check", "-p=80", "h:1"],
        ])
    func valueSpellings(_ arguments: [String]) throws {
        let parsed = try Fixtures.parse(arguments)
        #expect(parsed.value("--port") == "80")
        #expect(parsed.value("-p") == "80")
        #expect(parsed.positionals == ["h:1"])
    }

    @Test("a value may contain '=' after the first one")
    func valueWithEquals() throws {
        let parsed = try Fixtures.parse(["check", "--header=a=b", "h:1"])
        #expect(parsed.values("--header") == ["a=b"])
    }

    @Test("an empty inline value is a value")
    func emptyInlineValue() throws {
        let parsed = try Fixtures.parse(["check", "--food=", "h:1"])
        #expect(parsed.value("--food") == "")
    }

    @Test("flags are false when absent and true when present")
    func flags() throws {
        let absent = try Fixtures.parse(["check", "h:1"])
        #expect(!absent.flag("--json"))
        #expect(absent.value("--json") == nil)
        let present = try Fixtures.parse(["check", "--json", "h:1"])
        #expect(present.flag("--json"))
    }

    @Test("short flags group, and a group may end in a value option")
    func groupedShortOptions() throws {
        let parsed = try Fixtures.parse(["check", "-vqc8", "h:1"])
        #expect(parsed.flag("--verbose"))
        #expect(parsed.flag("-q"))
        #expect(parsed.value("--connections") == "8")
    }

    @Test("a grouped value option takes the next argument when nothing is attached")
    func groupedValueOptionTakesNextArgument() throws {
        let parsed = try Fixtures.parse(["check", "-vc", "8", "h:1"])
        #expect(parsed.flag("-v"))
        #expect(parsed.value("-c") == "8")
    }

    @Test("count() counts repeated flags")
    func countRepeatedFlags() throws {
        let parsed = try Fixtures.parse(["check", "-v", "--verbose", "-vv", "h:1"])
        #expect(parsed.count("--verbose") == 4)
    }

    @Test(
        "options may come before or after positionals",
        arguments: [
            ["check", "--json", "-c", "3", "h:1"],
            ["check", "h:1", "--json", "-c", "3"],
            ["check", "--json", "h:1", "-c", "3"],
        ])
    func optionsAnywhere(_ arguments: [String]) throws {
        let parsed = try Fixtures.parse(arguments)
        #expect(parsed.positionals == ["h:1"])
        #expect(parsed.flag("--json"))
        #expect(parsed.value("--connections") == "3")
    }

    @Test("the default applies when the option is absent")
    func defaultValue() throws {
        let parsed = try Fixtures.parse(["check", "h:1"])
        #expect(parsed.value("--connections") == "64")
        #expect(parsed.value("--port") == nil)
    }

    @Test("a non-repeatable option given twice keeps the last value")
    func lastOccurrenceWins() throws {
        let parsed = try Fixtures.parse(["check", "-c", "1", "--connections=2", "h:1"])
        #expect(parsed.value("--connections") == "2")
        #expect(parsed.values("--connections") == ["1", "2"])
    }

    @Test("a repeatable option keeps every value in order, and none when absent")
    func repeatableValues() throws {
        let parsed = try Fixtures.parse(["check", "-H", "a", "--header", "b", "-Hc", "h:1"])
        #expect(parsed.values("--header") == ["a", "b", "c"])
        #expect(try Fixtures.parse(["check", "h:1"]).values("--header") == [])
    }

    @Test("list() splits every occurrence on commas and trims items")
    func listSplitsAndTrims() throws {
        let parsed = try Fixtures.parse(["check", "--ports", " 80, 81 ,,", "--ports=82", "h:1"])
        #expect(parsed.list("--ports") == ["80", "81", "82"])
    }

    @Test("list() falls back to the default")
    func listDefault() throws {
        #expect(try Fixtures.parse(["check", "h:1"]).list("--ports") == ["1", "2"])
    }

    @Test(
        "negative numbers and '-' are values, not options",
        arguments: ["-0.5", "-3", "-.25", "-1e3", "-"])
    func dashValues(_ value: String) throws {
        let parsed = try Fixtures.parse(["check", "--ratio", value, "h:1"])
        #expect(parsed.value("--ratio") == value)
    }

    @Test("a negative number is a positional")
    func negativePositional() throws {
        let parsed = try Fixtures.parse(["check", "-7"])
        #expect(parsed.positionals == ["-7"])
    }

    @Test("'--' ends options: later words are positionals, even '--help'")
    func terminator() throws {
        let parsed = try Fixtures.parse(["cat", "--", "--json", "-h", "--"])
        #expect(parsed.positionals == ["--json", "-h", "--"])
        #expect(parsed.positional("first") == "--json")
        #expect(parsed.positionalValues("rest") == ["-h", "--"])
    }

    @Test("options before '--' still count")
    func optionsBeforeTerminator() throws {
        let parsed = try Fixtures.parse(["check", "--json", "--", "-x:1"])
        #expect(parsed.flag("--json"))
        #expect(parsed.positionals == ["-x:1"])
    }

    @Test("a root option is accepted before or after the subcommand")
    func inheritedRootOption() throws {
        #expect(try Fixtures.parse(["--no-color", "check", "h:1"]).flag("--no-color"))
        #expect(try Fixtures.parse(["check", "h:1", "--no-color"]).flag("--no-color"))
    }

    @Test("the command path and the leaf spec are returned")
    func commandPath() throws {
        let (spec, parsed) = try ArgumentParser.parse(["serve"], root: Fixtures.root)
        #expect(spec.name == "serve")
        #expect(parsed.command == ["randwire", "serve"])
        #expect(parsed.value("--port") == "0")
    }

    @Test("variadic positionals collect the rest; optional ones may be absent")
    func variadicPositionals() throws {
        let many = try Fixtures.parse(["cat", "a", "b", "c"])
        #expect(many.positional("first") == "a")
        #expect(many.positionalValues("<rest>") == ["b", "c"])
        let one = try Fixtures.parse(["cat", "a"])
        #expect(one.positionalValues("rest") == [])
        #expect(one.positional("rest") == nil)
    }
}

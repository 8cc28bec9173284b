import Testing
@testable import RandWireArguments

@Suite("Typed values")
struct TypedValueTests {
    @Test("int() parses, reads the default, and is nil when absent")
    func intValues() throws {
        let parsed = try Fixtures.parse(["check", "--port", "8080", "h:1"])
        #expect(try parsed.int("--port", in: 1...65535) == 8080)
        #expect(try parsed.int("--connections") == 64)
        #expect(try Fixtures.parse(["check", "h:1"]).int("--port") == nil)
    }

    @Test(
        "int() errors name the option as typed",
        arguments: [
            (["check", "--port", "abc", "h:1"], "The value 'abc' is invalid for '--port <port>': expected an integer"),
            (["check", "-p", "1.5", "h:1"], "The value '1.5' is invalid for '-p <port>': expected an integer"),
            (["check", "--port=", "h:1"], "The value '' is invalid for '--port <port>': expected an integer"),
        ])
    func intErrors(_ arguments: [String], _ message: String) throws {
        let parsed = try Fixtures.parse(arguments)
        #expect(throws: UsageError(message)) { try parsed.int("--port") }
    }

    @Test("int() range errors name the range")
    func intRange() throws {
        let parsed = try Fixtures.parse(["check", "--port", "70000", "h:1"])
        #expect(throws: UsageError("The value '70000' is invalid for '--port <port>': expected an integer in 1...65535")) {
            try parsed.int("--port", in: 1...65535)
        }
    }

    @Test("an invalid default is reported under the preferred name")
    func invalidDefaultUsesPreferredName() throws {
        let parsed = try Fixtures.parse(["check", "h:1"])
        #expect(throws: UsageError("The value 'bare' is invalid for '--profile <profile>': expected an integer")) {
            try parsed.int("--profile")
        }
    }

    @Test("double() parses and checks finiteness and range")
    func doubleValues() throws {
        #expect(try Fixtures.parse(["check", "--ratio=0.25", "h:1"]).double("--ratio", in: 0...1) == 0.25)
        #expect(try Fixtures.parse(["check", "h:1"]).double("--ratio") == nil)
        let nan = try Fixtures.parse(["check", "--ratio", "nan", "h:1"])
        #expect(throws: UsageError("The value 'nan' is invalid for '--ratio <x>': expected a number")) {
            try nan.double("--ratio")
        }
        let big = try Fixtures.parse(["check", "--ratio", "2", "h:1"])
        #expect(throws: UsageError("The value '2' is invalid for '--ratio <x>': expected a number in 0.0...1.0")) {
            try big.double("--ratio", in: 0...1)
        }
    }

    @Test("choice() maps raw values and lists the valid ones on error")
    func choices() throws {
        #expect(try Fixtures.parse(["check", "h:1"]).choice("--profile", as: Fixtures.Profile.self) == .bare)
        let csv = try Fixtures.parse(["check", "--profile", "csv", "h:1"])
        #expect(try csv.choice("--profile", as: Fixtures.Profile.self) == .csv)
        let bad = try Fixtures.parse(["check", "--profile", "tsv", "h:1"])
        #expect(
            throws: UsageError(
                "The value 'tsv' is invalid for '--profile <profile>': expected one of 'bare', 'request', 'csv'")
        ) { try bad.choice("--profile", as: Fixtures.Profile.self) }
        #expect(try Fixtures.parse(["check", "h:1"]).choice("--food", as: Fixtures.Profile.self) == nil)
    }
}

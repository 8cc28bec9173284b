import Foundation
import Testing
import RandWireGrading
import RandWireProtocol
import RandWireSocket
import RandWireTestSupport

@Suite("Roster parsing")
struct RosterTests {
    @Test("header optional; host:port and commands; comments and blank lines skipped; RFC 4180 quoting")
    func parsesRows() throws {
        let lines = [
            "student,profile,target,options",
            "# a comment row, with \"quotes\", commas and 'apostrophes'",
            "   # an indented comment",
            "alice,bare,127.0.0.1:9001",
            "",
            #""Smith, Bob",parity,"python3 server.py --port {port} --greeting ""hi""","tokens=even= PAR ,odd= ÍMPAR ;too-long=same-length""#,
            "carol , CSV , ./run.sh , min=1; max=6; count=3",
            "dave,request,[::1]:8000",
        ]
        let text = lines.joined(separator: "\r\n")
        let roster = try Roster.parse(text)
        #expect(roster.entries.map(\.student) == ["alice", "Smith, Bob", "carol", "dave"])
        #expect(roster.entries.map(\.line) == [4, 6, 7, 8])
        #expect(roster.entries[0].target == .endpoint(Endpoint(host: "127.0.0.1", port: 9001)))
        #expect(roster.entries[1].target == .command("python3 server.py --port {port} --greeting \"hi\""))
        let parity = roster.entries[1].parameters
        #expect(parity.tokens.even == " PAR " && parity.tokens.odd == " ÍMPAR ")
        #expect(parity.tooLongMode == .sameLength)
        let csv = roster.entries[2].parameters
        #expect(csv.profile == .csv && csv.min == 1 && csv.max == 6 && csv.count == 3)
        #expect(roster.entries[2].target == .command("./run.sh"))
        #expect(roster.entries[3].target == .endpoint(Endpoint(host: "::1", port: 8000)))
        // Without a header the first row is a student.
        #expect(try Roster.parse("eve,double,localhost:9001").entries.first?.profile == .double)
    }

    @Test("a role column grades both halves: the client row beside its author's server row is named NAME-client")
    func roles() throws {
        let roster = try Roster.parse("""
            student,role,profile,target,options
            ada,server,request,./server {port},
            ada,client,request,./client {host} {port},
            bob,,bare,./client {port},kind=client
            eve,client,parity,./cliente {port},loop=yes
            """)
        #expect(roster.entries.map(\.student) == ["ada", "ada-client", "bob", "eve"])
        #expect(roster.entries.map(\.role) == [.server, .client, .client, .client])
        // Without a role column, kind=client says the same.
        #expect(try Roster.parse("carl,bare,./c {port},kind=client").entries.map(\.role) == [.client])
    }

    @Test("role mistakes name the line", arguments: [
        ("student,role,profile,target\nada,chef,bare,./s", "roster.csv:2: role must be server or client, got 'chef'"),
        ("student,role,profile,target\nada,client,bare,127.0.0.1:9001", "roster.csv:2: a client row needs the command that starts the client, not an address ('127.0.0.1:9001')"),
        ("student,role,profile,target\nada,client,bare,./c\nada,client,bare,./d", "roster.csv:3: duplicate student 'ada' (client) (first on line 2)"),
        ("student,profile,target,colour\nada,bare,./s,red", "roster.csv:1: unknown column 'colour' in the header: expected student, profile, target, options, role"),
        ("student,role,profile,target\nada,client,bare,./c\nada-client,server,bare,./s\nada,server,bare,./t", "roster.csv:3: the name 'ada-client' is taken by line 2; rename one of them"),
    ])
    func roleMistakes(_ text: String, _ message: String) throws {
        #expect { try Roster.parse(text) } throws: { ($0 as? RosterError)?.description == message }
    }

    @Test("a quoted field may span lines; the next row's line number is still right")
    func multilineField() throws {
        let roster = try Roster.parse("a,bare,\"python3 x.py\n--port {port}\"\nb,bare,127.0.0.1:1")
        #expect(roster.entries.map(\.line) == [1, 3])
        #expect(try CommandSplitter.split("python3 x.py\n--port {port}") == ["python3", "x.py", "--port", "{port}"])
    }

    @Test("each roster mistake is reported as FILE:LINE: problem", arguments: [
        ("alice,bare,127.0.0.1:1\nbob,banana,127.0.0.1:2", "roster.csv:2: unknown profile 'banana': expected one of bare, request, csv, double, parity"),
        ("student,profile,target\n,bare,127.0.0.1:1", "roster.csv:2: empty student name"),
        ("alice,bare,127.0.0.1:1\nbob,bare,127.0.0.1:2\nalice,csv,127.0.0.1:3", "roster.csv:3: duplicate student 'alice' (first on line 1)"),
        ("alice,bare", "roster.csv:1: expected student,profile,target (host:port or a command), got 2 fields"),
        ("alice,bare,x,y,z", "roster.csv:1: expected at most 4 fields (student,profile,target,options), got 5; quote a command that contains a comma"),
        ("alice,bare,", "roster.csv:1: empty target: expected host:port or a command that starts the server on $PORT"),
        ("alice,bare,127.0.0.1:0", "roster.csv:1: '127.0.0.1:0': port 0 is not a server's port"),
        ("alice,bare,python3 'server.py", "roster.csv:1: command python3 'server.py: a single quote (') is never closed"),
        ("alice,bare,127.0.0.1:1,max=5;min=9", "roster.csv:1: options 'max=5;min=9': --min 9 is greater than --max 5"),
        ("alice,parity,127.0.0.1:1,min=3", "roster.csv:1: options 'min=3': min applies to the bare, csv and request profiles only"),
        ("alice,bare,127.0.0.1:1,colour=red", "roster.csv:1: options 'colour=red': unknown option 'colour': expected min, max, count, tokens, too-long, dir, kind, input, expect-output, loop, request as key=value, separated by ';'"),
        ("alice,parity,127.0.0.1:1,too-long=maybe", "roster.csv:1: options 'too-long=maybe': too-long must be token or same-length, got 'maybe'"),
        ("a,bare,127.0.0.1:1\n\"b,bare,127.0.0.1:2", "roster.csv:2: a quoted field is never closed"),
        ("a,bare,127.0.0.1:1\nb,ba\"re,127.0.0.1:2", "roster.csv:2: a quote inside an unquoted field (quote the whole field and double the quote: \"a \"\"b\"\"\")"),
        ("student,profile,target\n# nobody yet\n", "roster.csv:1: no students in the roster"),
    ])
    func errors(text: String, message: String) {
        #expect(throws: RosterError.self) { try Roster.parse(text) }
        do {
            _ = try Roster.parse(text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("--shell: commands are not split, so shell syntax is allowed")
    func shellCommands() throws {
        let roster = try Roster.parse("alice,bare,cd 'alice && ./run", shell: true)
        #expect(roster.entries[0].target == .command("cd 'alice && ./run"))
    }

    @Test("a roster file that does not exist names the file")
    func missingFile() {
        #expect(throws: RosterError(file: "/nonexistent/roster.csv", line: 0, problem: "cannot read the roster file")) {
            try Roster.load(path: "/nonexistent/roster.csv")
        }
        #expect(RosterError(file: "/nonexistent/roster.csv", line: 0, problem: "cannot read the roster file").description
            == "/nonexistent/roster.csv: cannot read the roster file")
    }
}

@Suite("The README's roster excerpt")
struct ReadmeRosterTests {
    @Test("equals the rows of Examples/roster.csv (comment lines aside), and that file parses")
    func excerptMatchesFile() throws {
        let readme = try String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let file = try String(contentsOf: PackagePaths.root.appendingPathComponent("Examples/roster.csv"), encoding: .utf8)
        let block = try #require(readme.components(separatedBy: "```csv\n").dropFirst().first?.components(separatedBy: "```").first)
        let excerpt = block.split(separator: "\n")
        let rows = file.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(excerpt == rows)
        #expect(try Roster.parse(file).entries.count == rows.count - 1)
    }
}

@Suite("Roster options column")
struct RosterOptionsTests {
    @Test("keys are the check flags' names; ';' splits only before a known key")
    func pairs() throws {
        let parity = try RosterOptions.parameters("tokens=even=a;b,odd=c;d ;too-long=same-length", profile: .parity)
        #expect(parity.tokens.even == "a;b" && parity.tokens.odd == "c;d ")
        #expect(parity.tooLongMode == .sameLength)
        let bare = try RosterOptions.parameters(" min = 3 ;max=7;", profile: .bare)
        #expect(bare.min == 3 && bare.max == 7)
        #expect(try RosterOptions.parameters("", profile: .request) == ProfileParameters(profile: .request))
        #expect(try RosterOptions.parameters("tokens=error=oops", profile: .double).tokens.error == "oops")
    }

    @Test("bad options are rejected with the rule they break", arguments: [
        ("count=5", Profile.bare, "count applies to the csv profile only"),
        ("min=1;min=2", .bare, "'min' is given twice"),
        ("max=abc", .bare, "max must be an integer within ±10^15, got 'abc'"),
        ("tokens=even=x", .bare, "tokens applies to the parity and double profiles only"),
        ("tokens=even=odd,odd=odd", .parity, "tokens must be four different words, got [\"odd\", \"odd\", \"too-long\", \"error\"]"),
    ])
    func rejects(text: String, profile: Profile, message: String) {
        #expect(throws: ParameterError(message)) { try RosterOptions.parameters(text, profile: profile) }
    }
}

@Suite("CSV")
struct CSVTests {
    @Test("RFC 4180: quotes, doubled quotes, commas and line breaks inside fields, CRLF, BOM, no final break")
    func parse() throws {
        let records = try CSV.parse("\u{FEFF}a,\"b,c\",\"d \"\"e\"\"\"\r\n\"multi\nline\",x\ny")
        #expect(records.map(\.fields) == [["a", "b,c", "d \"e\""], ["multi\nline", "x"], ["y"]])
        #expect(records.map(\.line) == [1, 2, 4])
        #expect(try CSV.parse("").isEmpty)
        #expect(try CSV.parse("\"\"").map(\.fields) == [[""]])
    }

    @Test("writing quotes only what needs it, and reads back the same")
    func roundTrip() throws {
        let values = ["plain", "with,comma", "with \"quote\"", "line\nbreak", " edge", "ÍMPAR", ""]
        let row = CSV.row(values)
        #expect(row == "plain,\"with,comma\",\"with \"\"quote\"\"\",\"line\nbreak\",\" edge\",ÍMPAR,\r\n")
        #expect(try CSV.parse(row).first?.fields == values)
    }
}

@Suite("Command splitting")
struct CommandSplitterTests {
    @Test("words, quotes and backslashes as a shell splits them; nothing else is interpreted", arguments: [
        ("python3 server.py --port {port}", ["python3", "server.py", "--port", "{port}"]),
        ("  a\t b  ", ["a", "b"]),
        ("echo 'a b' \"c d\" e\\ f", ["echo", "a b", "c d", "e f"]),
        ("x \"say \\\"hi\\\" \\\\ \\n\"", ["x", "say \"hi\" \\ \\n"]),
        ("a '' \"\" b", ["a", "", "", "b"]),
        ("run $PORT > log; rm -rf *", ["run", "$PORT", ">", "log;", "rm", "-rf", "*"]),
        ("pre'fix'\"ed\"", ["prefixed"]),
    ])
    func splits(command: String, expected: [String]) throws {
        #expect(try CommandSplitter.split(command) == expected)
    }

    @Test("unterminated quotes are errors")
    func unterminated() {
        #expect(throws: CommandSplitter.SplitError.self) { try CommandSplitter.split("a 'b") }
        #expect(throws: CommandSplitter.SplitError.self) { try CommandSplitter.split("a \"b") }
        #expect(throws: CommandSplitter.SplitError.self) { try CommandSplitter.split("a \\") }
    }

    @Test("join quotes so that splitting gives the arguments back")
    func join() throws {
        let arguments = ["python3", "-c", "import time; time.sleep(1)", "it's", "", "--port", "5000"]
        let line = CommandSplitter.join(arguments)
        #expect(line == "python3 -c 'import time; time.sleep(1)' 'it'\\''s' '' --port 5000")
        #expect(try CommandSplitter.split(line) == arguments)
    }
}

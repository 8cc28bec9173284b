import Foundation
import Testing
import RandWireCLI
import RandWireProtocol
import RandWireServer
import RandWireSocket
import RandWireTestSupport

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Runs the CLI in-process on a dedicated thread (commands block on sockets).
func randwire(_ arguments: [String]) async -> (code: Int32, out: String, err: String) {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            let capture = CommandIO.Capture()
            let code = RandWireMain.run(arguments, io: capture.io)
            continuation.resume(returning: (code, capture.out, capture.err))
        }
    }
}

func startServer(_ profile: Profile, _ tweak: (inout ServerConfiguration) -> Void = { _ in }) throws -> ReferenceServer {
    var configuration = ServerConfiguration(parameters: profile.defaultParameters)
    configuration.connectionTimeout = .seconds(2)
    tweak(&configuration)
    return try ReferenceServer.start(configuration)
}

@Suite("randwire: the command contract", .serialized, .timeLimit(.minutes(2)))
struct CommandContractTests {
    @Test("help goes to stdout with exit 0 and lists every subcommand", arguments: [["--help"], [], ["help"]])
    func help(arguments: [String]) async {
        let run = await randwire(arguments)
        #expect(run.code == 0)
        for name in ["serve", "get", "check", "probe", "bench", "grade"] { #expect(run.out.contains(name)) }
        #expect(run.err.isEmpty)
    }

    @Test("a subcommand's help goes to stdout with exit 0")
    func subcommandHelp() async {
        let check = await randwire(["check", "--help"])
        #expect(check.code == 0)
        #expect(check.out.contains("--known-failures"))
        #expect(check.out.contains("USAGE: randwire check"))
    }

    @Test("usage errors: Error line, usage line, --help hint, exit 64", arguments: [
        ["check", "--profile", "hexagon", "127.0.0.1:1"],
        ["check", "--profile", "bare"],
        ["get", "--profile", "bare", "nonsense"],
        ["serve"],
        ["check", "--profile", "bare", "--min", "30", "--max", "20", "127.0.0.1:1"],
        ["check", "--profile", "parity", "--min", "1", "127.0.0.1:1"],
        ["check", "--profile", "bare", "--only", "parity.even", "127.0.0.1:1"],
        ["check", "--profile", "bare", "--skip", "no.such-check", "127.0.0.1:1"],
        ["get", "--profile", "bare", "--request", "hi", "127.0.0.1:1"],
        ["check", "--profile", "parity", "--tokens", "colour=red", "127.0.0.1:1"],
        ["frobnicate"],
        ["grade", "--roster", "no-such-roster.csv", "--format", ""],
        ["grade", "--roster", "no-such-roster.csv", "--format", " , "],
    ])
    func usageErrors(arguments: [String]) async {
        let run = await randwire(arguments)
        #expect(run.code == 64, "\(arguments): \(run.err)")
        let lines = run.err.split(separator: "\n")
        #expect(lines.first?.hasPrefix("Error: ") == true, "\(run.err)")
        #expect(run.err.contains("Usage: "))
        #expect(run.err.contains("--help' for more information."))
        #expect(run.out.isEmpty)
    }

    @Test("an unreachable target exits 69 with one line saying so")
    func unreachable() async throws {
        let listener = try Listener.bind(host: "127.0.0.1", port: 0)
        let port = listener.address.port
        listener.close()
        let check = await randwire(["check", "--profile", "bare", "127.0.0.1:\(port)", "--timeout", "0.5"])
        #expect(check.code == 69)
        #expect(check.err.contains("could not be reached"))
        let get = await randwire(["get", "--profile", "bare", "127.0.0.1:\(port)", "--timeout", "0.5"])
        #expect(get.code == 69)
        #expect(get.err.hasPrefix("Error: "))
        #expect(get.err.split(separator: "\n").count == 1)
    }

    @Test("a malformed teacher fixture exits 65 before any connection, naming file and field")
    func malformedFixture() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try #"{"id":"t.x","title":"t","profiles":["parity"],"requirements":["PARITY-9"],"steps":[],"expect":{"response":"spec"}}"#
            .write(to: folder.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let run = await randwire(["check", "--profile", "parity", "127.0.0.1:1", "--fixtures", folder.path])
        #expect(run.code == 65)
        #expect(run.err.contains("bad.json: requirements: unknown requirement ID 'PARITY-9'"), "\(run.err)")
    }

    @Test("an unusable --fixtures folder or broken JSON exits 65 with one line naming it, before any connection",
          arguments: ["empty", "missing", "broken"])
    func unusableFixtures(folderKind: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-cli-\(UUID().uuidString)")
        let broken = folder.appendingPathComponent("broken")
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "{\n  \"id\": \"t.x\",\n  \"title\": \"t\",\n}\n".write(to: broken.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let (path, message) = switch folderKind {
        case "empty": (empty.path, "\(empty.path): no fixture .json files in this folder")
        case "missing": (folder.appendingPathComponent("missing").path, "\(folder.path)/missing: no such folder")
        default: (broken.path, "\(broken.path)/bad.json:4:1: not valid JSON: expected a key in double quotes, found '}'")
        }
        let run = await randwire(["check", "--profile", "parity", "127.0.0.1:1", "--fixtures", path])
        #expect(run.code == 65, "\(run.err)")
        #expect(run.err.hasPrefix("Error: \(message)"), "\(run.err)")
        #expect(run.err.split(separator: "\n").count == 1, "\(run.err)")
    }

    @Test("check --list shows every check with its level and requirement IDs")
    func list() async {
        let run = await randwire(["check", "--list", "--profile", "parity"])
        #expect(run.code == 0)
        for id in ["basic.exchange", "lifecycle.close", "parity.eleven-digits", "framing.unterminated", "PARITY-2", "MUST", "SHOULD"] {
            #expect(run.out.contains(id), "\(id) missing from --list")
        }
        #expect(!run.out.contains("random.uniformity"))
        let all = await randwire(["check", "--list", "--format", "json"])
        #expect(all.code == 0)
        #expect(all.out.contains("random.batch-sorted"))
    }
}

@Suite("randwire against live servers", .serialized, .timeLimit(.minutes(2)))
struct LiveCommandTests {
    @Test("get prints parsed answers, one per line; --json records how the answer ended")
    func get() async throws {
        let server = try startServer(.csv)
        defer { server.stop() }
        let run = await randwire(["get", "--profile", "csv", server.endpoint.description, "--repeat", "3"])
        #expect(run.code == 0, "\(run.err)")
        let lines = run.out.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.split(separator: ",").count == 10 })
        let json = await randwire(["get", "--profile", "csv", server.endpoint.description, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        #expect(object["endedBy"] as? String == "eof")
        #expect((object["value"] as? [Int])?.count == 10)
    }

    @Test("get against the wrong profile: one line naming what was wrong, exit 1")
    func malformed() async throws {
        let server = try startServer(.csv)
        defer { server.stop() }
        let run = await randwire(["get", "--profile", "bare", server.endpoint.description])
        #expect(run.code == 1)
        #expect(run.err.hasPrefix("Error: got \""), "\(run.err)")
        #expect(run.err.split(separator: "\n").count == 1)
    }

    @Test("check: a conformant server exits 0; json and junit reports are written with --output")
    func check() async throws {
        let server = try startServer(.parity)
        defer { server.stop() }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("rw-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        // The server closes silent connections after 2 s, so LIMIT-2 is judged quickly.
        let run = await randwire(["check", "--profile", "parity", server.endpoint.description, "--format", "json", "--output", output.path])
        #expect(run.code == 0, "\(run.out)")
        // The terminal gets the verdict first, the summary last, and no per-check list.
        let lines = run.out.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("CONFORMANT: every applicable required check was judged and passed") == true, "\(run.out)")
        #expect(lines.contains { $0.hasSuffix("; CONFORMANT") })
        #expect(!run.out.contains("parity.letters"), "\(run.out)")
        #expect(lines.count <= 4, "\(run.out)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any]
        #expect(report?["conformant"] as? Bool == true)
        #expect(report?["verdict"] as? String == "conformant")
        #expect((report?["results"] as? [Any])?.isEmpty == false)
    }

    @Test("check: the wrong tokens fail with exit 1 and name the requirement")
    func checkFails() async throws {
        let server = try startServer(.parity)
        defer { server.stop() }
        let run = await randwire(["check", "--profile", "parity", server.endpoint.description, "--tokens", "even=PAR", "--only", "parity.even,parity.odd"])
        #expect(run.code == 1)
        #expect(run.out.contains("PARITY-1"))
        #expect(run.out.contains("NOT CONFORMANT"))
    }

    @Test("probe identifies every profile of the reference server", arguments: Profile.allCases)
    func probe(profile: Profile) async throws {
        let server = try startServer(profile)
        defer { server.stop() }
        let run = await randwire(["probe", server.endpoint.description])
        #expect(run.code == 0, "\(run.err)")
        #expect(run.out.contains("profile \(profile)"), "\(run.out)")
        #expect(run.out.contains("next: randwire check --profile \(profile)"))
    }

    @Test("check --self passes for one profile")
    func checkSelf() async {
        let run = await randwire(["check", "--self", "--profile", "double"])
        #expect(run.code == 0, "\(run.out)")
        #expect(run.out.contains("the reference server passed every profile (double)"))
    }

    @Test("check --format html: one page, written with --output, for one run or several (--self)")
    func checkHTML() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("rw-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: output) }
        let run = await randwire(["check", "--self", "--profile", "double", "--format", "html", "--output", output.path])
        #expect(run.code == 0, "\(run.out)")
        #expect(run.out.hasPrefix("CONFORMANT: "), "the terminal still gets the verdict: \(run.out)")
        let page = try String(contentsOf: output, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"))
        #expect(page.contains("<h1>CONFORMANT</h1>") && page.contains("randwire check --profile double 127.0.0.1:"))
        let several = await randwire(["check", "--self", "--format", "html", "--only", "basic.*"])
        #expect(several.code == 0, "\(several.err)")
        #expect(several.out.components(separatedBy: "<!DOCTYPE html>").count == 2, "one document")
        #expect(several.out.components(separatedBy: "<article class=\"run\">").count == Profile.allCases.count + 1, "one article per profile")
    }
}

@Suite("randwire serve as a process", .serialized, .timeLimit(.minutes(1)))
struct ServeProcessTests {
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("randwire").path
    }

    @Test("serve announces its real port first, serves, and exits 0 on SIGTERM within a second",
          .enabled(if: FileManager.default.isExecutableFile(atPath: ServeProcessTests.binary)))
    func serveLifecycle() async throws {
        let (first, code, elapsed, answer) = try await BlockingPool.run {
            let process = try ManagedProcess.start(ServeProcessTests.binary, ["serve", "--profile", "bare", "--port", "0"])
            defer { process.terminate() }
            let line = try process.readLine(timeout: .seconds(10)) ?? ""
            let port = UInt16(line.split(separator: ":").last ?? "") ?? 0
            let connection = try Connection.connect(to: Endpoint(host: "127.0.0.1", port: port), deadline: .after(.seconds(2)))
            let answer = connection.read(maxBytes: 100, deadline: .after(.seconds(2)))
            connection.close()
            let start = Deadline.now
            kill(process.processIdentifier, SIGTERM)
            let code = process.waitForExit(timeout: .seconds(5))
            return (line, code, Deadline.now - start, answer)
        }
        #expect(first.hasPrefix("randwire: serving bare on 127.0.0.1:"))
        #expect(code == 0)
        // The contract is one second; a loaded test run gets some slack.
        #expect(elapsed < .seconds(2))
        guard case let .data(bytes) = answer, let value = Int(String(decoding: bytes, as: UTF8.self)) else {
            Issue.record("no number: \(answer)")
            return
        }
        #expect((10...20).contains(value))
    }

    @Test("a second serve on a port a serve already listens on exits 69 with one line, and the first keeps it",
          .enabled(if: FileManager.default.isExecutableFile(atPath: ServeProcessTests.binary)))
    func secondServeRefused() async throws {
        let (port, code, err, stillFirst) = try await BlockingPool.run {
            let first = try ManagedProcess.start(ServeProcessTests.binary, ["serve", "--profile", "bare", "--port", "0", "--threads", "2"])
            defer { first.terminate() }
            let line = try first.readLine(timeout: .seconds(10)) ?? ""
            let port = UInt16(line.split(separator: ":").last ?? "") ?? 0
            let second = try ManagedProcess.start(ServeProcessTests.binary, ["serve", "--profile", "bare", "--port", "\(port)", "--threads", "2"])
            defer { second.terminate() }
            let code = second.waitForExit(timeout: .seconds(10))
            return (port, code, second.standardError, first.exitCode == nil)
        }
        #expect(port != 0)
        #expect(code == 69)
        #expect(err.split(separator: "\n").count == 1, "\(err)")
        #expect(err.hasPrefix("Error: cannot serve on 127.0.0.1:\(port): Address already in use"), "\(err)")
        #expect(err.contains("--port"))
        #expect(stillFirst)
    }
}

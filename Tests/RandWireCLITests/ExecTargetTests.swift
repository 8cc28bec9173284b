import Foundation
import RandWireGrading
import RandWireSocket
import RandWireTestSupport
import Testing

/// `check --exec`: a server that dies on every bad input is still judged on every check, each
/// death charged to the input that caused it.
@Suite("check --exec: a supervised server", .serialized, .timeLimit(.minutes(3)), .enabled(if: SeedPrograms.pythonAvailable))
struct ExecTargetTests {
    struct Seed: Sendable, CustomTestStringConvertible {
        let script: String
        let profile: String
        let extra: [String]
        let serverArguments: [String]
        /// Checks whose input kills the seed, and what the death message must name.
        let fatal: [String: String]
        var testDescription: String { "\(script) (\(profile))" }
    }

    static let seeds: [Seed] = [
        Seed(script: "seed004_server", profile: "parity", extra: ["--tokens", "even= PAR ,odd= ÍMPAR ", "--too-long", "same-length"],
             serverArguments: [], fatal: ["parity.letters": #"sent "abc", then half-close"#, "parity.empty": "half-close"]),
        Seed(script: "seed003_server", profile: "double", extra: ["--tokens", "error=Received data is not valid integer"],
             serverArguments: ["1"], fatal: ["double.empty": "half-close"]),
    ]

    @Test("every check judged, every fatal input named, destructive checks last", arguments: seeds)
    func everyCheckJudged(_ seed: Seed) async throws {
        let python = try #require(SeedPrograms.python)
        let command = CommandSplitter.join([python, SeedPrograms.script(seed.script).path] + seed.serverArguments + ["--port", "{port}"])
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("rw-exec-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        // LIMIT-2 is skipped only to keep the test short: a serial seed makes it wait 10.5 s.
        let run = await randwire(["check", "--profile", seed.profile, "--exec", command, "--skip", "limit.connection-deadline",
                                  "--format", "json", "--output", output.path] + seed.extra, terminal: "xterm")
        #expect(run.code == 1, "\(run.out)\n\(run.err)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        let results = try #require(report["results"] as? [[String: Any]])
        let notJudged = results.filter { $0["status"] as? String == "not-judged" }.compactMap { $0["id"] as? String }
        #expect(notJudged.isEmpty, "not judged: \(notJudged)")
        for (check, input) in seed.fatal {
            let result = try #require(results.first { $0["id"] as? String == check })
            let messages = (result["findings"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            #expect(messages.contains { $0.hasPrefix("the server died on this input (\(input))") && $0.contains(": exit ") }, "\(check): \(messages)")
        }
        let warnings = report["warnings"] as? [String] ?? []
        #expect(warnings.contains { $0.hasPrefix("ran: ") })
        #expect(warnings.contains { $0.hasPrefix("the server crashed ") && $0.contains("restarted") }, "\(warnings)")

        // Run order, from the progress lines: every destructive fixture after every other fixture.
        let order = run.err.components(separatedBy: "\r\u{1B}[K").compactMap { line -> String? in
            guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { return nil }
            return line[line.index(after: close)...].split(separator: " ").first.map(String.init)
        }
        let destructive: Set<String> = ["parity.letters", "parity.empty", "double.empty", "double.letters", "robust.flood", "robust.reset-mid-request", "framing.lone-lf"]
        let fixtures = order.filter { $0.hasPrefix("parity.") || $0.hasPrefix("double.") || $0.hasPrefix("framing.") || $0.hasPrefix("robust.") }
        let firstDestructive = try #require(fixtures.firstIndex { destructive.contains($0) })
        #expect(fixtures[firstDestructive...].allSatisfy { destructive.contains($0) || !fixtures[..<firstDestructive].contains($0) }, "\(fixtures)")
        #expect(!fixtures[..<firstDestructive].contains { destructive.contains($0) })
    }

    @Test("a command that does not start: one line with its stderr, exit 69")
    func doesNotStart() async throws {
        let run = await randwire(["check", "--profile", "bare", "--exec", "/bin/sh -c 'echo cannot bind >&2; exit 3' {port}", "--startup-timeout", "5"], terminal: nil)
        #expect(run.code == 69, "\(run.err)")
        #expect(run.err.hasPrefix("Error: the server did not start: exited before listening (exit 3)"), "\(run.err)")
        #expect(run.err.contains("cannot bind"))
        #expect(run.err.split(separator: "\n").count == 1)
    }

    @Test("a port another process listens on is refused: never judge someone else's server")
    func portTakenByAnother() async throws {
        let squatter = try Listener.bind(host: "127.0.0.1", port: 0)
        defer { squatter.close() }
        let run = await randwire(["check", "--profile", "bare", "--exec", "sleep 30", "127.0.0.1:\(squatter.address.port)", "--sandbox", "none"], terminal: nil)
        #expect(run.code == 69, "\(run.err)")
        #expect(run.err.contains("is held by a process that is not this server's"), "\(run.err)")
    }

    @Test("a command without {port} needs the address it listens on")
    func fixedPortNeedsAddress() async {
        let run = await randwire(["check", "--profile", "bare", "--exec", "python3 server.py"], terminal: nil)
        #expect(run.code == 64)
        #expect(run.err.hasPrefix("Error: The --exec command takes no {port} or $PORT"), "\(run.err)")
    }
}

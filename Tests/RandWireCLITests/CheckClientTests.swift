import Foundation
import RandWireTestSupport
import Testing

/// The statuses of a JSON report, by check ID.
func clientStatuses(_ json: String) throws -> [String: String] {
    let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "not a JSON report: \(json.prefix(300))")
    let results = report["results"] as? [[String: Any]] ?? []
    return Dictionary(uniqueKeysWithValues: results.compactMap { result in
        (result["id"] as? String).map { ($0, result["status"] as? String ?? "?") }
    })
}

/// The report's verdict (`conformant`, `not-conformant`, …).
func clientVerdict(_ json: String) -> String? {
    ((try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any])?["verdict"] as? String
}

/// `check-client`: the reference client passes every check on every profile; options,
/// selection, fixtures and grading work as for servers.
/// Every suite that judges client programs, one test at a time: each test starts a client per
/// check (and a grade starts servers too), and several at once would load the machine enough to
/// upset the timing that other suites, judging servers, depend on.
@Suite("Judging client programs", .serialized)
enum ClientJudgingTests {}

extension ClientJudgingTests {
    @Suite("check-client: judging client programs", .timeLimit(.minutes(3)))
    struct CheckClientTests {
        static var binary: String { ServeProcessTests.binary }
        static var binaryBuilt: Bool { FileManager.default.isExecutableFile(atPath: binary) }

        @Test("--self: the reference client (randwire get) passes every check of every profile", .enabled(if: binaryBuilt))
        func selfCheck() throws {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("rw-self-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: file) }
            let process = try ManagedProcess.start(Self.binary, ["check-client", "--self", "--format", "json", "--output", file.path])
            defer { process.terminate() }
            #expect(process.waitForExit(timeout: .seconds(90)) == 0, "\(process.allStandardOutput)\n\(process.standardError)")
            let reports = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [[String: Any]])
            #expect(Set(reports.compactMap { $0["profile"] as? String }) == ["bare", "csv", "request", "parity", "double"])
            for report in reports {
                let results = report["results"] as? [[String: Any]] ?? []
                let notPassing = results.filter { $0["status"] as? String != "pass" }.map { "\($0["id"] ?? ""): \($0["status"] ?? "") \($0["message"] ?? "")" }
                #expect(notPassing.isEmpty, "\(report["profile"] ?? ""): \(notPassing)")
                #expect(report["verdict"] as? String == "conformant")
            }
            // Every check, failover included, was judged somewhere.
            let judged = Set(reports.flatMap { ($0["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } })
            #expect(judged.contains("client.failover") && judged.contains("client.drip") && judged.contains("client.bare-sends-nothing"))
        }

        @Test("--list names every client check of a profile, with its requirements")
        func list() async throws {
            let run = await randwire(["check-client", "--list", "--profile", "csv", "--format", "json"], terminal: nil)
            #expect(run.code == 0, "\(run.err)")
            let ids = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
            let checks = (ids["checks"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(checks.contains("client.wrong-count") && checks.contains("client.bare-sends-nothing"), "\(checks)")
            #expect(!checks.contains("client.wrong-token") && !checks.contains("client.request-end"), "\(checks)")
        }

        @Test("--only/--skip narrow the run (PASSED, never CONFORMANT); an unknown selector is a usage error", .enabled(if: binaryBuilt))
        func selection() async throws {
            let client = [Self.binary, "get", "--profile", "bare", "--timeout", "2", "{host}:{port}"]
            let narrowed = await randwire(["check-client", "--profile", "bare", "--only", "client.answer,client.trailing-*", "--format", "json", "--"] + client, terminal: nil)
            #expect(narrowed.code == 0, "\(narrowed.err)")
            let statuses = try clientStatuses(narrowed.out)
            #expect(statuses.filter { $0.value == "pass" }.keys.sorted() == ["client.answer", "client.trailing-crlf", "client.trailing-lf", "client.trailing-spaces"], "\(statuses)")
            #expect(clientVerdict(narrowed.out) == "passed")
            let skipped = await randwire(["check-client", "--profile", "bare", "--skip", "LIMIT-3", "--only", "client.flood,client.answer", "--format", "json", "--"] + client, terminal: nil)
            #expect(try clientStatuses(skipped.out)["client.flood"] == "skip")
            let unknown = await randwire(["check-client", "--profile", "bare", "--only", "client.nope", "--"] + client, terminal: nil)
            #expect(unknown.code == 64 && unknown.err.contains("client.nope"), "\(unknown.err)")
        }

        @Test("--known-failures excuses a listed failure (PASSED); --strict makes a SHOULD warning fail", .enabled(if: SeedPrograms.pythonAvailable))
        func knownFailuresAndStrict() async throws {
            let python = try #require(SeedPrograms.python)
            let seed = [python, SeedPrograms.script("seed001_client").path, "{host}", "{port}"]
            let list = FileManager.default.temporaryDirectory.appendingPathComponent("rw-known-\(UUID().uuidString).txt")
            defer { try? FileManager.default.removeItem(at: list) }
            try "# seed 001 reads once\nclient.split-answer\n".write(to: list, atomically: true, encoding: .utf8)
            let excused = await randwire(["check-client", "--profile", "request", "--only", "client.split-answer,client.answer", "--known-failures", list.path, "--format", "json", "--"] + seed, terminal: nil)
            #expect(excused.code == 0 && clientVerdict(excused.out) == "passed", "\(excused.out.prefix(400))")
            #expect(try clientStatuses(excused.out)["client.split-answer"] == "fail")
            let warned = await randwire(["check-client", "--profile", "request", "--only", "client.request-end", "--format", "json", "--"] + seed, terminal: nil)
            #expect(try clientStatuses(warned.out)["client.request-end"] == "warn")
            #expect(warned.code == 0)
            let strict = await randwire(["check-client", "--profile", "request", "--only", "client.request-end", "--strict", "--format", "json", "--"] + seed, terminal: nil)
            #expect(try clientStatuses(strict.out)["client.request-end"] == "fail")
            #expect(strict.code == 1)
            try "client.typo\n".write(to: list, atomically: true, encoding: .utf8)
            let typo = await randwire(["check-client", "--profile", "request", "--known-failures", list.path, "--"] + seed, terminal: nil)
            #expect(typo.code == 65 && typo.err.contains("client.typo"), "\(typo.err)")
        }

        @Test("--fixtures adds a teacher's client case; a malformed one stops the run with exit 65 naming the field", .enabled(if: binaryBuilt))
        func teacherFixtures() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-client-fixtures-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try #"""
                {"id": "client.answer-then-nul", "title": "An answer followed by a NUL octet is rejected", "profiles": ["bare"],
                 "requirements": ["CLIENT-3"], "serve": [{"send": "{answer}"}, {"send": {"hex": "00"}}], "expect": {"client": "reject"}}
                """#.write(to: folder.appendingPathComponent("nul.json"), atomically: true, encoding: .utf8)
            let run = await randwire(["check-client", "--profile", "bare", "--fixtures", folder.path, "--only", "client.answer-then-nul", "--format", "json", "--",
                                      Self.binary, "get", "--profile", "bare", "--timeout", "2", "{host}:{port}"], terminal: nil)
            #expect(try clientStatuses(run.out)["client.answer-then-nul"] == "pass", "\(run.out.prefix(600)) \(run.err)")
            try #"""
                {"id": "client.broken", "title": "t", "profiles": ["bare"], "requirements": ["CLIENT-3"],
                 "serve": [{"end": "hold"}, {"send": "{answr}"}], "expect": {"client": "reject"}}
                """#.write(to: folder.appendingPathComponent("broken.json"), atomically: true, encoding: .utf8)
            let broken = await randwire(["check-client", "--profile", "bare", "--fixtures", folder.path, "--", Self.binary, "get"], terminal: nil)
            #expect(broken.code == 65, "\(broken.err)")
            #expect(broken.err.contains("broken.json: serve[0].end: must be the last step"), "\(broken.err)")
        }

        @Test("grade: a role column grades a student's server and client in one roster",
              .enabled(if: SeedPrograms.pythonAvailable && binaryBuilt))
        func gradeBothHalves() async throws {
            let python = try #require(SeedPrograms.python)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rw-clients-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let roster = directory.appendingPathComponent("roster.csv")
            try """
                student,role,profile,target,options
                ada,server,bare,\(Self.binary) serve --profile bare --port {port},
                ada,client,request,\(Self.binary) get --profile request --timeout 2 {host}:{port},
                bob,client,request,\(python) \(SeedPrograms.script("seed001_client").path) {host} {port},expect-output=Received {answer}
                eve,client,parity,\(python) \(SeedPrograms.script("seed004_client").path) {host} {port},loop=yes;expect-output={answer}
                """.write(to: roster, atomically: true, encoding: .utf8)
            let out = directory.appendingPathComponent("grades").path
            let run = await randwire(["grade", "--roster", roster.path, "--out", out, "--format", "json", "--run-timeout", "60", "--sandbox", "none", "--jobs", "4"], terminal: nil)
            #expect(run.code == 0, "\(run.err)")
            let csv = try String(contentsOfFile: out + "/grades.csv", encoding: .utf8)
            let rows = csv.split(whereSeparator: \.isNewline).map { $0.split(separator: ",").map(String.init) }
            #expect(rows.first?.contains("client.split-answer") == true && rows.first?.contains("basic.exchange") == true, "\(csv)")
            #expect(rows.first { $0.first == "ada" }?[4] == "conformant", "\(csv)")
            #expect(rows.first { $0.first == "ada-client" }?[4] == "conformant", "\(csv)")
            #expect(rows.first { $0.first == "bob" }?[4] == "not-conformant", "\(csv)")
            // A looping client (loop=yes) is judged on its first exchange; with expect-output={answer}
            // even the empty line it prints for an empty response counts against it.
            #expect(rows.first { $0.first == "eve" }?[4] == "not-conformant", "\(csv)")
            let page = try String(contentsOfFile: out + "/summary.html", encoding: .utf8)
            #expect(page.contains("ada-client</a> <span class=\"role\""), "the summary marks client rows")
        }

        @Test("grade contains client programs as it contains servers: a write outside its folder does not land",
              .enabled(if: binaryBuilt && FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap"), "needs bubblewrap (Debian package bubblewrap)"))
        func containedClient() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rw-contained-client-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let escaped = directory.appendingPathComponent("escaped")
            let roster = directory.appendingPathComponent("roster.csv")
            try """
                student,profile,target,options
                mallory,bare,"/bin/sh -c 'echo out > \(escaped.path); exec \(Self.binary) get --profile bare --timeout 2 {host}:{port}'",kind=client
                """.write(to: roster, atomically: true, encoding: .utf8)
            let out = directory.appendingPathComponent("grades").path
            let run = await randwire(["grade", "--roster", roster.path, "--out", out, "--format", "json", "--sandbox", "bwrap"], terminal: nil)
            #expect(run.code == 0, "\(run.out)\n\(run.err)")
            #expect(!FileManager.default.fileExists(atPath: escaped.path), "the client wrote outside its folder")
            let report = try String(contentsOfFile: out + "/mallory.json", encoding: .utf8)
            #expect(report.contains("contained: bubblewrap"), "\(report.prefix(500))")
            #expect(try clientStatuses(report)["client.answer"] == "pass")
        }

        @Test("double failover (DOUBLE-4, a MAY): judged with one of three servers up, never deciding the verdict", .enabled(if: binaryBuilt))
        func failover() async throws {
            func run(_ endpoints: [String]) async throws -> (status: String?, verdict: String?, code: Int32) {
                let run = await randwire(["check-client", "--profile", "double", "--port", "0,0,0", "--client-timeout", "4", "--only", "client.failover,client.answer", "--format", "json", "--",
                                          Self.binary, "get", "--profile", "double", "--timeout", "1", "--request", "21"] + endpoints, terminal: nil)
                return (try clientStatuses(run.out)["client.failover"], clientVerdict(run.out), run.code)
            }
            let all = try await run(["127.0.0.1:{port1}", "127.0.0.1:{port2}", "127.0.0.1:{port3}"])
            #expect(all.status == "pass" && all.verdict == "passed" && all.code == 0, "\(all)")
            // A client that knows one server only misses whenever that one is down (runs 2 and 3).
            let one = try await run(["127.0.0.1:{port1}"])
            #expect(one.status == "warn", "\(one)")
            #expect(one.verdict == "passed" && one.code == 0, "a MAY never decides the verdict: \(one)")
        }

        @Test("--expect-output: the teacher's exact line; without {answer} it is a usage error", .enabled(if: SeedPrograms.pythonAvailable))
        func expectOutput() async throws {
            let python = try #require(SeedPrograms.python)
            let seed = [python, SeedPrograms.script("seed001_client").path, "{host}", "{port}"]
            let exact = await randwire(["check-client", "--profile", "request", "--only", "client.answer", "--expect-output", "Received {answer}", "--format", "json", "--"] + seed, terminal: nil)
            #expect(try clientStatuses(exact.out)["client.answer"] == "pass")
            let wrong = await randwire(["check-client", "--profile", "request", "--only", "client.answer", "--expect-output", "Number: {answer}", "--format", "json", "--"] + seed, terminal: nil)
            #expect(try clientStatuses(wrong.out)["client.answer"] == "fail")
            let noPlaceholder = await randwire(["check-client", "--profile", "request", "--expect-output", "Received", "--"] + seed, terminal: nil)
            #expect(noPlaceholder.code == 64, "\(noPlaceholder.err)")
        }

        @Test("--request is given to the client as {request}, and the harness answers what it sent; bare refuses it", .enabled(if: binaryBuilt))
        func request() async throws {
            let run = await randwire(["check-client", "--profile", "double", "--request", "33", "--only", "client.answer", "--format", "json", "--",
                                      Self.binary, "get", "--profile", "double", "--request", "{request}", "--timeout", "2", "{host}:{port}"], terminal: nil)
            #expect(try clientStatuses(run.out)["client.answer"] == "pass", "\(run.out.prefix(500))")
            #expect(run.out.contains(#""client printed \"66\\n\"; exited 0""#), "twice 33: \(run.out.prefix(1500))")
            let bare = await randwire(["check-client", "--profile", "bare", "--request", "33", "--", Self.binary, "get"], terminal: nil)
            #expect(bare.code == 64 && bare.err.contains("BARE-2"), "\(bare.err)")
        }

        @Test("a client that never connects: UNREACHABLE (69), one line saying what to check")
        func neverConnects() async throws {
            let run = await randwire(["check-client", "--profile", "bare", "--client-timeout", "1", "--only", "client.answer", "--", "/bin/sh", "-c", "echo no network here; exit 3"], terminal: nil)
            #expect(run.code == 69, "\(run.out)\n\(run.err)")
            #expect(run.err.hasPrefix("Error: the client never connected to the harness: it exited 3 without connecting"), "\(run.err)")
        }
    }
}

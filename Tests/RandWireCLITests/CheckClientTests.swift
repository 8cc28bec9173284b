import Foundation
import RandWireTestSupport
import Testing

/// `check-client`: the reference client passes; the seed clients fail exactly their known faults.
@Suite("check-client: judging client programs", .serialized, .timeLimit(.minutes(3)))
struct CheckClientTests {
    static var binary: String { ServeProcessTests.binary }

    @Test("the reference client passes every check",
          .enabled(if: FileManager.default.isExecutableFile(atPath: ServeProcessTests.binary)), arguments: ["request", "parity", "bare"])
    func referenceClient(profile: String) async throws {
        let run = await randwire(["check-client", "--profile", profile, "--client-timeout", "6", "--format", "json", "--",
                                  Self.binary, "get", "--profile", profile, "--timeout", "2", "{host}:{port}"], terminal: nil)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any], "\(run.out)\n\(run.err)")
        let results = report["results"] as? [[String: Any]] ?? []
        let notPassing = results.filter { $0["status"] as? String != "pass" }.map { "\($0["id"] ?? ""): \($0["message"] ?? "")" }
        #expect(notPassing.isEmpty, "\(notPassing)")
        #expect(report["verdict"] as? String == "conformant")
        #expect(run.code == 0)
    }

    @Test("seed 001's client: one recv, no deadline, no validation", .enabled(if: SeedPrograms.pythonAvailable))
    func seedClient() async throws {
        let python = try #require(SeedPrograms.python)
        let run = await randwire(["check-client", "--profile", "request", "--client-timeout", "3", "--format", "json", "--",
                                  python, SeedPrograms.script("seed001_client").path, "{host}", "{port}"], terminal: nil)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any], "\(run.err)")
        let results = report["results"] as? [[String: Any]] ?? []
        func ids(_ status: String) -> Set<String> { Set(results.filter { $0["status"] as? String == status }.compactMap { $0["id"] as? String }) }
        #expect(ids("fail") == ["client.split-answer", "client.malformed", "client.over-cap", "client.silent-server"], "\(results.map { "\($0["id"] ?? "") \($0["status"] ?? "")" })")
        #expect(ids("warn") == ["client.request-end"])
        #expect(ids("pass") == ["client.answer", "client.trailing-lf"])
        #expect(run.code == 1)
    }

    @Test("grade: kind=client rows are graded as clients", .enabled(if: SeedPrograms.pythonAvailable && FileManager.default.isExecutableFile(atPath: ServeProcessTests.binary)))
    func gradeClients() async throws {
        let python = try #require(SeedPrograms.python)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rw-clients-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let roster = directory.appendingPathComponent("roster.csv")
        try """
            student,profile,target,options
            ada,request,\(Self.binary) get --profile request --timeout 2 {host}:{port},kind=client
            bob,request,\(python) \(SeedPrograms.script("seed001_client").path) {host} {port},kind=client;expect-output=Received {answer}
            """.write(to: roster, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("grades").path
        let run = await randwire(["grade", "--roster", roster.path, "--out", out, "--format", "json", "--run-timeout", "4", "--sandbox", "none"], terminal: nil)
        #expect(run.code == 0, "\(run.err)")
        let csv = try String(contentsOfFile: out + "/grades.csv", encoding: .utf8)
        let rows = csv.split(whereSeparator: \.isNewline).map { $0.split(separator: ",").map(String.init) }
        #expect(rows.first?.contains("client.split-answer") == true, "\(csv)")
        #expect(rows.first { $0.first == "ada" }?[4] == "conformant", "\(csv)")
        #expect(rows.first { $0.first == "bob" }?[4] == "not-conformant", "\(csv)")
    }

    @Test("double failover (DOUBLE-4, a MAY): judged with one of three servers up, never deciding the verdict",
          .enabled(if: FileManager.default.isExecutableFile(atPath: ServeProcessTests.binary)))
    func failover() async throws {
        func run(_ endpoints: [String]) async throws -> (status: String?, verdict: String?, code: Int32) {
            let run = await randwire(["check-client", "--profile", "double", "--port", "0,0,0", "--client-timeout", "4", "--format", "json", "--",
                                      Self.binary, "get", "--profile", "double", "--timeout", "1", "--request", "21"] + endpoints, terminal: nil)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any], "\(run.err)")
            let result = (report["results"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "client.failover" }
            return (result?["status"] as? String, report["verdict"] as? String, run.code)
        }
        let all = try await run(["127.0.0.1:{port1}", "127.0.0.1:{port2}", "127.0.0.1:{port3}"])
        #expect(all.status == "pass" && all.verdict == "conformant" && all.code == 0, "\(all)")
        // A client that knows one server only misses whenever that one is down (runs 2 and 3).
        let one = try await run(["127.0.0.1:{port1}"])
        #expect(one.status == "warn", "\(one)")
        #expect(one.verdict == "conformant" && one.code == 0, "a MAY never decides the verdict: \(one)")
    }

    @Test("--expect-output: the teacher's exact line", .enabled(if: SeedPrograms.pythonAvailable))
    func expectOutput() async throws {
        let python = try #require(SeedPrograms.python)
        let run = await randwire(["check-client", "--profile", "request", "--client-timeout", "3", "--only-checks-note", "--",
                                  python, SeedPrograms.script("seed001_client").path, "{host}", "{port}"], terminal: nil)
        #expect(run.code == 64, "an unknown option is a usage error")
        let exact = await randwire(["check-client", "--profile", "request", "--client-timeout", "3", "--expect-output", "Received {answer}", "--format", "json", "--",
                                    python, SeedPrograms.script("seed001_client").path, "{host}", "{port}"], terminal: nil)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(exact.out.utf8)) as? [String: Any])
        let answer = (report["results"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "client.answer" }
        #expect(answer?["status"] as? String == "pass")
        let wrong = await randwire(["check-client", "--profile", "request", "--client-timeout", "3", "--expect-output", "Number: {answer}", "--format", "json", "--",
                                    python, SeedPrograms.script("seed001_client").path, "{host}", "{port}"], terminal: nil)
        let wrongReport = try #require(try JSONSerialization.jsonObject(with: Data(wrong.out.utf8)) as? [String: Any])
        let wrongAnswer = (wrongReport["results"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "client.answer" }
        #expect(wrongAnswer?["status"] as? String == "fail")
    }
}

import Foundation
import RandWireTestSupport
import Testing

/// The four seed clients, re-created in `Tests/SeedPrograms/` from the notes on how the originals
/// behave, judged by `check-client`: exactly the findings Appendix A of the spec predicts.
extension ClientJudgingTests {
    @Suite("Seed clients against the client requirements (Appendix A)", .enabled(if: SeedPrograms.pythonAvailable), .timeLimit(.minutes(3)))
    struct SeedClientVerdictTests {
        struct Expectation: Sendable, CustomTestStringConvertible {
            let seed: String
            let options: [String]
            let command: [String]
            var environment: [String: String] = [:]
            let failed: Set<String>
            let warned: Set<String>
            var notJudged: Set<String> = []
            /// Failures that are another check's consequence, and the root each names.
            let consequences: [String: String]
            var testDescription: String { "seed \(seed)" }
        }

        static let expectations: [Expectation] = [
            // print(int(data)) after one recv(1024): int() forgives whitespace and the range.
            Expectation(seed: "000", options: ["--profile", "bare"], command: ["seed000_client", "{host}", "{port}"],
                        failed: ["client.split-answer", "client.two-line-endings", "client.trailing-spaces", "client.out-of-range",
                                 "client.over-cap", "client.flood", "client.silent-server", "client.drip"],
                        warned: [],
                        consequences: ["client.flood": "client.over-cap", "client.drip": "client.split-answer"]),
            // print(f"Received {data.decode()}") after one recv(1024), exit 0 whatever came.
            Expectation(seed: "001", options: ["--profile", "request", "--expect-output", "Received {answer}"],
                        command: ["seed001_client", "{host}", "{port}"],
                        failed: ["client.split-answer", "client.two-line-endings", "client.trailing-spaces", "client.empty", "client.banner",
                                 "client.float", "client.out-of-range", "client.over-cap", "client.flood", "client.silent-server", "client.drip"],
                        warned: ["client.request-end"],
                        consequences: ["client.flood": "client.over-cap", "client.drip": "client.split-answer"]),
            // Reads its number from stdin, picks one of three servers at random, never fails over.
            Expectation(seed: "003", options: ["--profile", "double", "--tokens", "error=Received data is not valid integer",
                                               "--input", "21\nexit\n", "--port", "0,0,0"],
                        command: ["seed003_client", "--ports", "{port1},{port2},{port3}"], environment: ["SEED_CLIENT_SEED": "1"],
                        failed: ["client.split-answer", "client.two-line-endings", "client.trailing-spaces", "client.empty", "client.banner",
                                 "client.float", "client.over-cap", "client.flood", "client.silent-server", "client.drip"],
                        warned: ["client.request-end", "client.failover"],
                        consequences: ["client.flood": "client.over-cap", "client.drip": "client.split-answer"]),
            // Loops forever, 10 s apart: judged on its first exchange (--loop), exit status unseen.
            Expectation(seed: "004", options: ["--profile", "parity", "--loop"], command: ["seed004_client", "{host}", "{port}"],
                        failed: ["client.split-answer", "client.two-line-endings", "client.trailing-spaces", "client.banner", "client.wrong-token",
                                 "client.over-cap", "client.flood", "client.silent-server", "client.drip"],
                        warned: ["client.request-end"], notJudged: ["client.empty"],
                        consequences: ["client.flood": "client.over-cap", "client.drip": "client.split-answer"]),
        ]

        @Test("each seed client fails exactly what Appendix A says", arguments: expectations)
        func verdict(_ expectation: Expectation) async throws {
            let python = try #require(SeedPrograms.python)
            var command = expectation.command
            command[0] = SeedPrograms.script(command[0]).path
            if !expectation.environment.isEmpty {
                command = ["/usr/bin/env"] + expectation.environment.map { "\($0.key)=\($0.value)" } + [python] + command
            } else {
                command = [python] + command
            }
            let run = await randwire(["check-client"] + expectation.options + ["--client-timeout", "3", "--format", "json", "--"] + command, terminal: nil)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any], "\(run.err)")
            let results = report["results"] as? [[String: Any]] ?? []
            func ids(_ status: String) -> Set<String> { Set(results.filter { $0["status"] as? String == status }.compactMap { $0["id"] as? String }) }
            let summary = results.map { "\($0["id"] ?? ""): \($0["status"] ?? "") \(String(describing: $0["message"] ?? "").prefix(120))" }.joined(separator: "\n")
            #expect(ids("fail") == expectation.failed, "\(summary)")
            #expect(ids("warn") == expectation.warned, "\(summary)")
            #expect(ids("not-judged") == expectation.notJudged, "\(summary)")
            let consequences = Dictionary(uniqueKeysWithValues: results.compactMap { result in
                (result["consequenceOf"] as? String).map { (result["id"] as? String ?? "", $0) }
            })
            #expect(consequences == expectation.consequences, "\(summary)")
            #expect(report["verdict"] as? String == "not-conformant")
            #expect(run.code == 1)
        }
    }
}

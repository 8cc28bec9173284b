import Foundation
import RandWireConformance
import RandWireProtocol
import RandWireTestSupport
import Testing

/// `Tests/ClientPrograms/careful_client.py`, a client written from the spec independently of the
/// reference client, passes every check; each of its mutants, built to break one behaviour,
/// fails (or, for a SHOULD or MAY, warns on) the checks aimed at that behaviour. So every client
/// check can fail, and fails for the right reason.
extension ClientJudgingTests {
    @Suite("Client checks against a careful client and its mutants", .enabled(if: SeedPrograms.pythonAvailable), .timeLimit(.minutes(3)))
    struct ClientMutantTests {
        static var careful: String { PackagePaths.clientPrograms.appendingPathComponent("careful_client.py").path }

        static func command(_ profile: String, mutant: String? = nil, timeout: Int = 2, endpoints: [String] = ["{host}", "{port}"]) throws -> [String] {
            let python = try #require(SeedPrograms.python)
            return [python, careful, "--profile", profile, "--timeout", String(timeout)] + (mutant.map { ["--mutant", $0] } ?? []) + endpoints
        }

        @Test("the careful client passes every check", arguments: ["bare", "csv", "request", "parity", "double"])
        func careful(profile: String) async throws {
            let endpoints = profile == "double" ? ["127.0.0.1:{port1}", "127.0.0.1:{port2}", "127.0.0.1:{port3}"] : ["{host}", "{port}"]
            let ports = profile == "double" ? ["--port", "0,0,0"] : []
            let run = await randwire(["check-client", "--profile", profile, "--client-timeout", "4", "--format", "json"] + ports + ["--"]
                                     + (try Self.command(profile, timeout: 1, endpoints: endpoints)), terminal: nil)
            let statuses = try clientStatuses(run.out)
            #expect(statuses.filter { $0.value != "pass" }.isEmpty, "\(statuses.filter { $0.value != "pass" })")
            #expect(statuses.count == ClientCatalog(profile: Profile(rawValue: profile)!, fixtures: try ClientFixtureLoader.builtIn()).definitions.count)
            #expect(clientVerdict(run.out) == "conformant" && run.code == 0)
        }

        struct Mutant: Sendable, CustomTestStringConvertible {
            let name: String
            let profile: String
            /// The checks it must break, and how: fail for a MUST, warn for a SHOULD or MAY.
            let breaks: [String: String]
            /// The client's own deadline: longer where the check must tell it from the 2 s window
            /// (wait-for-eof), or where reading a 1 MiB flood on a loaded machine takes a while (no-cap).
            var timeout = 2
            var testDescription: String { "\(name) (\(profile))" }
        }

        static let mutants: [Mutant] = [
            Mutant(name: "silent-output", profile: "request", breaks: ["client.answer": "fail"]),
            Mutant(name: "one-recv", profile: "request", breaks: ["client.split-answer": "fail"]),
            Mutant(name: "keep-line-ending", profile: "request", breaks: ["client.trailing-lf": "fail", "client.trailing-crlf": "fail"]),
            Mutant(name: "lf-only", profile: "request", breaks: ["client.trailing-crlf": "fail"]),
            Mutant(name: "strip-all", profile: "bare", breaks: ["client.two-line-endings": "fail", "client.trailing-spaces": "fail"]),
            Mutant(name: "accept-empty", profile: "request", breaks: ["client.empty": "fail"]),
            Mutant(name: "last-line", profile: "request", breaks: ["client.banner": "fail"]),
            Mutant(name: "no-grammar", profile: "bare", breaks: ["client.float": "fail"]),
            Mutant(name: "no-grammar", profile: "csv", breaks: ["client.wrong-count": "fail"]),
            Mutant(name: "no-grammar", profile: "parity", breaks: ["client.wrong-token": "fail"]),
            Mutant(name: "no-range", profile: "request", breaks: ["client.out-of-range": "fail"]),
            Mutant(name: "no-cap", profile: "request", breaks: ["client.over-cap": "fail", "client.flood": "fail"], timeout: 6),
            Mutant(name: "wait-for-eof", profile: "request", breaks: ["client.never-closes": "warn"], timeout: 4),
            Mutant(name: "no-deadline", profile: "request", breaks: ["client.silent-server": "fail"]),
            Mutant(name: "no-exchange-deadline", profile: "request", breaks: ["client.drip": "fail"]),
            Mutant(name: "exit-zero", profile: "request", breaks: ["client.empty": "fail", "client.silent-server": "fail"]),
            Mutant(name: "drop-on-reset", profile: "request", breaks: ["client.reset-after-answer": "fail"]),
            Mutant(name: "no-terminator", profile: "parity", breaks: ["client.request-end": "warn"]),
            Mutant(name: "second-request", profile: "double", breaks: ["client.one-request": "fail"]),
            Mutant(name: "bare-sends", profile: "csv", breaks: ["client.bare-sends-nothing": "fail"]),
            Mutant(name: "no-failover", profile: "double", breaks: ["client.failover": "warn"]),
        ]

        @Test("each mutant breaks exactly the checks aimed at it", arguments: mutants)
        func mutant(_ mutant: Mutant) async throws {
            let failover = mutant.name == "no-failover"
            let endpoints = failover ? ["127.0.0.1:{port1}", "127.0.0.1:{port2}", "127.0.0.1:{port3}"] : ["{host}", "{port}"]
            let run = await randwire(["check-client", "--profile", mutant.profile, "--client-timeout", String(mutant.timeout + 3), "--format", "json",
                                      "--only", mutant.breaks.keys.sorted().joined(separator: ",")] + (failover ? ["--port", "0,0,0"] : []) + ["--"]
                                     + (try Self.command(mutant.profile, mutant: mutant.name, timeout: mutant.timeout, endpoints: endpoints)), terminal: nil)
            let statuses = try clientStatuses(run.out).filter { $0.value != "skip" }
            #expect(statuses == mutant.breaks, "\(run.out.prefix(1500))")
        }

        @Test("every client check has a mutant that breaks it")
        func everyCheckCovered() throws {
            let fixtures = try ClientFixtureLoader.builtIn()
            let all = Set(Profile.allCases.flatMap { ClientCatalog(profile: $0, fixtures: fixtures).definitions.map(\.id) })
            let broken = Set(Self.mutants.flatMap(\.breaks.keys))
            #expect(all.subtracting(broken).isEmpty, "no mutant breaks \(all.subtracting(broken).sorted())")
        }
    }
}

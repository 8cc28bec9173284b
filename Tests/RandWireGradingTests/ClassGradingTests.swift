#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Synchronization
import Testing
import RandWireConformance
import RandWireGrading
import RandWireProtocol
import RandWireReports
import RandWireSocket
import RandWireTestSupport

/// Small Python servers for the fault classes FaultyServer cannot play: a process that never
/// answers, one that crashes, one that floods its stderr.
enum StudentScripts {
    static let hang = """
        import socket, sys
        port = int(sys.argv[sys.argv.index("--port") + 1])
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        held = []
        while True:
            connection, _ = listener.accept()
            held.append(connection)  # never answered, never closed
        """

    static let crash = """
        import socket, sys
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", int(sys.argv[1])))
        listener.listen(64)
        connection, _ = listener.accept()
        connection.sendall(b"15")
        connection.close()
        raise RuntimeError("boom: the server crashed after its first client")
        """

    static let flood = """
        import os, random, socket, sys, threading, time
        def flood():
            line = "debug: " + "x" * 120 + "\\n"
            while True:
                sys.stderr.write(line * 100)
                sys.stderr.flush()
                time.sleep(0.005)
        threading.Thread(target=flood, daemon=True).start()
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", int(os.environ["PORT"])))
        listener.listen(64)
        while True:
            connection, _ = listener.accept()
            connection.sendall(str(random.randint(10, 20)).encode())
            connection.close()
        """

    static func write(in directory: URL) throws -> (hang: String, crash: String, flood: String) {
        func save(_ text: String, _ name: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        return (try save(hang, "hang.py"), try save(crash, "crash.py"), try save(flood, "flood.py"))
    }
}

/// The interpreter behind `python3` on PATH: pyenv's shims are bash scripts that take seconds
/// to start on a loaded machine, which would eat the start-up deadline.
let python: String = {
    guard let probe = try? ManagedProcess.start("python3", ["-c", "import sys; print(sys.executable)"]) else { return "python3" }
    defer { probe.terminate() }
    guard probe.waitForExit(timeout: .seconds(30)) == 0 else { return "python3" }
    let path = probe.allStandardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    return FileManager.default.isExecutableFile(atPath: path) ? path : "python3"
}()

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("randwire-grading-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The settings every grading test uses: small samples, short deadlines.
func testConfiguration(jobs: Int = 4, startupTimeout: Duration = .seconds(15)) throws -> GradingConfiguration {
    var configuration = GradingConfiguration(fixtures: try FixtureLoader.builtIn())
    configuration.jobs = jobs
    configuration.startupTimeout = startupTimeout
    configuration.runDeadline = .seconds(30)
    configuration.answerTimeout = .seconds(1)
    configuration.connectTimeout = .seconds(1)
    configuration.samples = 800
    configuration.connectionDeadlineLimit = .seconds(3)
    return configuration
}

extension StudentGrade {
    var digest: String {
        "\(student) \(status.rawValue) \(score.earned)/\(score.possible): "
            + report.results.filter { $0.status != .pass && $0.status != .skip }.map { "\($0.id)=\($0.status.rawValue)" }.joined(separator: " ")
    }
}

@Suite("Grading a class", .timeLimit(.minutes(3)))
struct ClassGradingTests {
    @Test("a class of 12: every fault class gets its exact score, in bounded time, with parseable reports",
          .enabled(if: SeedPrograms.pythonAvailable))
    func gradesAClass() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scripts = try StudentScripts.write(in: directory)

        func faulty(_ profile: Profile, _ configure: (inout Faults) -> Void = { _ in }) throws -> FaultyServer {
            var faults = Faults()
            configure(&faults)
            return try FaultyServer.start(profile.defaultParameters, faults: faults)
        }
        let correct = try faulty(.bare)
        let neverCloses = try faulty(.double) { $0.neverClose = true }
        let diesAfterFirst = try faulty(.request) { $0.stopAfterConnections = 1 }
        let trailingLF = try faulty(.csv) { $0.trailer = Array("\n".utf8) }
        // Every answer 100 above the range: off-range from the first exchange on.
        let offRange = try faulty(.bare) { $0.respond = { _, parameters in Array(String(Int.random(in: parameters.min...parameters.max) + 100).utf8) } }
        let serial = try faulty(.parity) { $0.serial = true }
        let servers = [correct, neverCloses, diesAfterFirst, trailingLF, offRange, serial]
        defer { servers.forEach { $0.stop() } }
        let closed = try Listener.bind(host: "127.0.0.1", port: 0)
        let closedPort = closed.address.port
        closed.close()

        let seed000 = CommandSplitter.join([python, SeedPrograms.script("seed000_server").path, "--port", "{port}"])
        let rows: [[String]] = [
            ["student", "profile", "target"],
            ["alice", "bare", correct.endpoint.description],
            ["bob", "double", neverCloses.endpoint.description],
            ["carol", "request", diesAfterFirst.endpoint.description],
            ["dave", "csv", trailingLF.endpoint.description],
            ["erin", "bare", offRange.endpoint.description],
            ["frank", "parity", serial.endpoint.description],
            ["grace", "bare", seed000],
            ["heidi", "bare", CommandSplitter.join([python, "-c", "import time; time.sleep(60)"])],
            ["ivan", "bare", CommandSplitter.join([python, scripts.hang, "--port", "{port}"])],
            ["judy", "csv", "127.0.0.1:\(closedPort)"],
            ["kim", "bare", CommandSplitter.join([python, scripts.crash]) + " $PORT"],
            ["leo", "bare", CommandSplitter.join([python, scripts.flood])],
        ]
        let roster = try Roster.parse(rows.map(CSV.row).joined())
        #expect(roster.entries.count == 12)

        var configuration = try testConfiguration()
        let lines = Mutex<[String]>([])
        configuration.progress = { line in lines.withLock { $0.append(line) } }
        let clock = ContinuousClock()
        let started = clock.now
        let result = await ClassGrader.gradeAsync(roster, configuration: configuration)
        let elapsed = clock.now - started

        let byName = Dictionary(uniqueKeysWithValues: result.grades.map { ($0.student, $0) })
        #expect(result.grades.map(\.student) == roster.entries.map(\.student), "roster order is kept")

        // Exact scores under the default rubric (MUST 2, SHOULD 1, a warn earns half).
        let expected: [String: (GradeStatus, Double, Double)] = [
            "alice": (.conformant, 21, 21),  // correct
            "bob": (.notConformant, 66, 68),  // never closes: lifecycle.close (2 points)
            "carol": (.notConformant, 5, 56),  // serves one client: exchange, close and single-write pass, then nothing
            "dave": (.conformant, 26.5, 27),  // trailing LF: half of a SHOULD
            "erin": (.notConformant, 7, 21),  // off-range from the first answer; it keeps serving (CORE-9 passes)
            "frank": (.conformant, 79.5, 80),  // serial: half of concurrency.idle-client
            "grace": (.conformant, 21, 21),  // the seed 000 replica, started by command
            "heidi": (.didNotStart, 0, 21),  // never listens
            "ivan": (.notConformant, 1.5, 21),  // accepts and never answers
            "judy": (.unreachable, 0, 29),  // nothing there
            "kim": (.notConformant, 6, 21),  // crashes after its first client; restarted, so judged further
            "leo": (.conformant, 21, 21),  // floods stderr, serves correctly
        ]
        for (student, (status, earned, possible)) in expected {
            let grade = try #require(byName[student])
            #expect(grade.status == status, "\(grade.digest)")
            #expect(grade.score.earned == earned, "\(grade.digest)")
            #expect(grade.score.possible == possible, "\(grade.digest)")
        }
        #expect(byName["bob"]?.report.results.filter { $0.status == .fail }.map(\.id) == ["lifecycle.close"])
        #expect(byName["carol"]?.report.results.filter { $0.status == .fail }.map(\.id) == ["lifecycle.keeps-serving"])
        #expect(byName["dave"]?.report.results.filter { $0.status == .warn }.map(\.id) == ["format.no-trailing-newline"])
        #expect(byName["erin"]?.report.results.filter { $0.status == .fail }.map(\.id) == ["basic.exchange", "sample.format"])
        #expect(byName["frank"]?.report.results.filter { $0.status == .warn }.map(\.id) == ["concurrency.idle-client"])

        // What was run, and how start-up went, is in each started student's report.
        let heidi = try #require(byName["heidi"])
        #expect(heidi.launch.map { if case .timedOut = $0.startup { true } else { false } } == true)
        #expect(heidi.report.warnings.contains { $0.hasPrefix("ran: \(python) -c 'import time; time.sleep(60)' (no shell; PORT=") })
        #expect(heidi.report.warnings.contains { $0.contains("not listening on its port after") })
        #expect(heidi.report.results.allSatisfy { $0.status == .notJudged })
        // Supervised: each crash is charged where it happened, with its exit and traceback, and
        // the server is restarted so the checks after it are judged too.
        let kim = try #require(byName["kim"])
        let deaths = kim.report.results.flatMap(\.findings).filter { $0.message.hasPrefix("the server died on this input") }
        #expect(deaths.count >= 2, "\(kim.digest)")
        #expect(deaths.allSatisfy { $0.message.contains("exit 1") && $0.message.contains("RuntimeError: boom") }, "\(deaths)")
        #expect(kim.report.warnings.contains { $0.hasPrefix("the server crashed \(deaths.count) times: on lifecycle.keeps-serving (connection 2)") }, "\(kim.report.warnings)")
        #expect(kim.report.results.filter { $0.status == .notJudged }.allSatisfy { $0.id.hasPrefix("random.") }, "\(kim.digest)")
        let leo = try #require(byName["leo"]?.launch)
        #expect(leo.standardError.total > 64 * 1024 && leo.standardError.bytes.count <= 16 * 1024, "a flood is drained, only its tail kept")
        #expect(byName["grace"]?.launch?.arguments.suffix(2).first == "--port")
        #expect(byName["alice"]?.launch == nil)

        // Bounded: no student takes longer than its own deadlines, and the class not much more.
        let ownBound = configuration.startupTimeout + configuration.runDeadline + configuration.stopGrace + .seconds(4)
        for grade in result.grades { #expect(grade.duration < ownBound, "\(grade.student) took \(grade.duration)") }
        #expect(elapsed < .seconds(75), "the class took \(elapsed)")

        // One progress line per finished student.
        let progress = lines.withLock { $0 }
        #expect(progress.count == 12)
        #expect(progress.map { $0.prefix { $0 != "]" } } == (1...12).map { "[\($0)/12" })
        let aliceLine = try #require(progress.first { $0.contains("] alice: ") })
        #expect(aliceLine.contains("] alice: 21/21 CONFORMANT ("), "\(aliceLine)")
        #expect(progress.contains { $0.contains("] heidi: 0/21 DID NOT START (") })
        #expect(progress.contains { $0.contains("] dave: 26.5/27 CONFORMANT (") })

        try checkFiles(result, in: directory.appendingPathComponent("out"))
    }

    /// Every report parses, grades.csv has its columns, summary.html its table and bars.
    func checkFiles(_ result: ClassResult, in out: URL) throws {
        let written = try GradeFiles.write(result, to: out.path, formats: ReportFormat.allCases)
        #expect(written.count == result.grades.count * ReportFormat.allCases.count + 2)
        for grade in result.grades {
            let stem = out.appendingPathComponent(grade.student).path
            // JSON: decodes as the run report, with the score merged in.
            let json = try Data(contentsOf: URL(fileURLWithPath: stem + ".json"))
            let decoded = try JSONDecoder().decode(RunReport.self, from: json)
            #expect(decoded.results.count == grade.report.results.count)
            #expect(decoded.unreachable == (grade.status == .unreachable || grade.status == .didNotStart))
            let root = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            #expect((root["score"] as? [String: Any])?["earned"] as? Double == grade.score.earned)
            // JUnit: well-formed XML with a testcase per check.
            let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: stem + ".xml")))
            let counter = ElementCounter()
            parser.delegate = counter
            #expect(parser.parse(), "\(grade.student).xml: \(parser.parserError.map { "\($0)" } ?? "")")
            #expect(counter.counts["testsuites"] == 1)
            #expect(counter.counts["testcase"] == grade.report.results.count)
            // TAP: version, plan, one test point per check.
            let tap = try String(contentsOfFile: stem + ".tap", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(tap.first == "TAP version 13")
            #expect(tap.dropFirst().first == "1..\(grade.report.results.count)")
            #expect(tap.count { $0.hasPrefix("ok ") || $0.hasPrefix("not ok ") } == grade.report.results.count)
            // Gradescope: the score and one test per judged check.
            let gradescope = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: stem + ".gradescope.json"))) as? [String: Any])
            #expect(gradescope["score"] as? Double == grade.score.earned)
            #expect(gradescope["max_score"] as? Double == grade.score.possible)
            #expect((gradescope["tests"] as? [[String: Any]])?.count == grade.report.results.count { $0.status != .skip })
            // Human: the verdict is the last line.
            let human = try String(contentsOfFile: stem + ".txt", encoding: .utf8)
            let last = human.split(separator: "\n").last ?? ""
            #expect(last.contains("score \(Self.points(grade.score.earned))/\(Self.points(grade.score.possible))"), "\(last)")
        }

        let records = try CSV.parse(try String(contentsOf: out.appendingPathComponent("grades.csv"), encoding: .utf8))
        let header = try #require(records.first?.fields)
        #expect(Array(header.prefix(5)) == ["student", "profile", "score", "max_score", "status"])
        let checks = Array(header.dropFirst(5))
        #expect(Set(checks).count == checks.count)
        #expect(checks.contains("parity.even") && checks.contains("random.batch-sorted") && checks.contains("double.basic"))
        #expect(records.count == result.grades.count + 1)
        let allowed: Set<String> = ["", "pass", "fail", "warn", "skip", "not-judged"]
        for (record, grade) in zip(records.dropFirst(), result.grades) {
            #expect(record.fields.count == header.count)
            #expect(Array(record.fields.prefix(5)) == [grade.student, grade.entry.profile.rawValue, Self.points(grade.score.earned),
                                                       Self.points(grade.score.possible), grade.status.rawValue])
            #expect(record.fields.dropFirst(5).allSatisfy(allowed.contains))
            let cells = Dictionary(uniqueKeysWithValues: zip(checks, record.fields.dropFirst(5)))
            for check in grade.report.results { #expect(cells[check.id] == check.status.rawValue) }
            #expect(record.fields.dropFirst(5).count { !$0.isEmpty } == grade.report.results.count)
        }

        let html = try String(contentsOf: out.appendingPathComponent("summary.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://"), "self-contained: no external resources")
        #expect(html.contains("<table class=\"grades\">"))
        #expect(html.components(separatedBy: "<div class=\"bar\">").count - 1 == checks.count, "one bar per check")
        #expect(html.contains("<span class=\"pass\" style=\"width:100%\""))
        for grade in result.grades {
            #expect(html.contains(">\(grade.student)</a></th>"))
            #expect(html.contains("<td class=\"num\">\(Self.points(grade.score.earned))/\(Self.points(grade.score.possible))</td>"))
        }
        #expect(html.contains("hang.py --port "), "the executed command line is shown")
        #expect(html.contains("not listening on its port after"))
        #expect(html.contains("RuntimeError: boom"))
        #expect(html.contains("<td class=\"c warn\""))
        #expect(html.contains("<td class=\"c fail\""))
        #expect(html.contains("<td class=\"c not-judged\""))
        #expect(html.contains("<td class=\"c na\""))
    }

    static func points(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(x)
    }
}

/// Counts elements by name, to check the JUnit XML's shape.
final class ElementCounter: NSObject, XMLParserDelegate, @unchecked Sendable {
    var counts: [String: Int] = [:]
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
    }
}

@Suite("Start-up outcomes", .timeLimit(.minutes(2)))
struct StartupTests {
    @Test("never listening, exiting at once, no such program: did-not-start, score 0, quickly, with stderr",
          .enabled(if: SeedPrograms.pythonAvailable))
    func didNotStart() async throws {
        let rows = [
            ["sleeper", "bare", CommandSplitter.join([python, "-c", "import time; time.sleep(60)"])],
            ["quitter", "request", CommandSplitter.join([python, "-c", "import sys; print('no config file', file=sys.stderr); sys.exit(3)"])],
            ["typo", "bare", "pyhton3 server.py --port {port}"],
        ]
        let roster = try Roster.parse(rows.map(CSV.row).joined())
        let configuration = try testConfiguration(jobs: 3, startupTimeout: .seconds(2))
        let clock = ContinuousClock()
        let started = clock.now
        let result = await ClassGrader.gradeAsync(roster, configuration: configuration)
        let elapsed = clock.now - started
        #expect(result.grades.allSatisfy { $0.status == .didNotStart && $0.score.earned == 0 })
        #expect(result.grades.map(\.score.possible) == [21, 56, 21])
        // 2 s of start-up, then SIGTERM (which a sleeping Python obeys at once); slack for a
        // loaded machine, far below the default 10 s start-up and the 60 s sleep.
        #expect(elapsed < .seconds(30), "took \(elapsed): \(result.grades.map { "\($0.student) \($0.duration)" })")
        let sleeper = result.grades[0]
        #expect(sleeper.duration >= .seconds(2))
        #expect(sleeper.launch?.exit == .signalled(SIGTERM))
        #expect(sleeper.report.warnings.contains { $0.hasPrefix("start-up: not listening on its port after ") }, "\(sleeper.report.warnings)")
        let quitter = result.grades[1]
        #expect(quitter.launch.map { if case .exited(.exited(3), _) = $0.startup { true } else { false } } == true)
        #expect(quitter.report.warnings.contains("stderr: no config file"))
        #expect(quitter.report.warnings.contains { $0.hasPrefix("start-up: exited before listening (exit 3)") })
        let html = SummaryPage.html(result)
        #expect(html.contains("<dd class=\"bad\">exited on its own before listening (exit 3); there was nothing to stop</dd>"))
        #expect(!html.contains("stopped by the grader (exit 3)"))
        #expect(html.contains("<dd class=\"\">stopped by the grader (\(TextEscaping.html(String(describing: ExitStatus.signalled(SIGTERM)))))</dd>"))
        let typo = result.grades[2]
        #expect(typo.report.warnings.contains("start-up: cannot start 'pyhton3': no such program (is it on PATH, or is the path right?)"))
        #expect(typo.duration < .seconds(6))
        for grade in result.grades {
            #expect(grade.report.results.allSatisfy { $0.status == .notJudged && $0.message.hasPrefix("not judged: the server did not start") })
        }
    }

    @Test("--shell: the command goes to /bin/sh -c, which expands $PORT and runs && chains",
          .enabled(if: SeedPrograms.pythonAvailable))
    func shell() async throws {
        let folder = SeedPrograms.script("seed000_server").deletingLastPathComponent().path
        let command = "cd \(CommandSplitter.join([folder])) && exec \(CommandSplitter.join([python])) seed000_server.py --port $PORT"
        let roster = try Roster.parse(CSV.row(["grace", "bare", command]), shell: true)
        var configuration = try testConfiguration()
        configuration.shell = true
        let grade = try #require(await ClassGrader.gradeAsync(roster, configuration: configuration).grades.first)
        #expect(grade.status == .conformant, "\(grade.digest)")
        #expect(grade.launch?.arguments == ["/bin/sh", "-c", command])
        #expect(grade.report.warnings.first?.hasSuffix("(through /bin/sh; PORT=\(grade.launch?.port ?? 0))") == true)
    }

    @Test("grades.csv lists the check columns in spec order: by section as the reports group them, catalog order within one")
    func csvColumnsInSpecOrder() async throws {
        let roster = try Roster.parse(CSV.row(["ada", "request", "no-such-randwire-server --port {port}"]))
        let result = await ClassGrader.gradeAsync(roster, configuration: try testConfiguration(startupTimeout: .seconds(2)))
        let catalog = try #require(result.grades.first).report.results
        let header = try #require(GradesTable.csv(result).split(separator: "\r\n").first).split(separator: ",").map(String.init)
        #expect(Array(header.prefix(5)) == GradesTable.fixedColumns)
        let columns = Array(header.dropFirst(5))
        #expect(columns.sorted() == catalog.map(\.id).sorted())

        let section = Dictionary(uniqueKeysWithValues: catalog.map { ($0.id, $0.section) })
        func key(_ id: String) -> [Int] { section[id]!.split(separator: ".").map { Int($0)! } }
        for (before, after) in zip(columns, columns.dropFirst()) {
            #expect(!key(after).lexicographicallyPrecedes(key(before)), "\(before) (§\(section[before]!)) before \(after) (§\(section[after]!))")
        }
        for id in columns {
            let sameSection = { (other: String) in section[other] == section[id] }
            #expect(columns.filter(sameSection) == catalog.map(\.id).filter(sameSection), "§\(section[id]!) in catalog order")
        }
        // The order the issue saw: concurrency.idle-client (§9) 7th, request.* (§6.3) last.
        let index = { (id: String) in columns.firstIndex(of: id)! }
        #expect(index("framing.lf") < index("request.example"))
        #expect(index("request.over-cap") < index("random.uniformity"))
        #expect(index("robust.flood") < index("concurrency.idle-client"))
    }

    @Test("a rubric prices every student: points per check, a maximum score")
    func rubric() async throws {
        let server = try FaultyServer.start(Profile.bare.defaultParameters, faults: { var f = Faults(); f.trailer = Array("\n".utf8); return f }())
        defer { server.stop() }
        let roster = try Roster.parse(CSV.row(["alice", "bare", server.endpoint.description]))
        var configuration = try testConfiguration()
        configuration.rubric = Rubric(points: ["basic.exchange": 10, "random.*": 0, "level:SHOULD": 4], maxScore: 100)
        let grade = try #require(await ClassGrader.gradeAsync(roster, configuration: configuration).grades.first)
        // basic 10 + close, keeps-serving, sample.format 2 each + 3 SHOULDs 4 each = 28 possible;
        // the trailing LF warns: 2 of its 4. Scaled to 100: 26/28.
        #expect(abs(grade.score.possible - 100) < 1e-9)
        #expect(abs(grade.score.earned - 2600.0 / 28) < 1e-9, "\(grade.digest)")
    }
}

@Suite("Grading within a short run deadline", .timeLimit(.minutes(2)))
struct RunDeadlineGradingTests {
    @Test("a correct server whose LIMIT-2 wait the run deadline cut short loses no points")
    func cutShortCostsNothing() async throws {
        // Closes silent connections only after 30 s: LIMIT-2 needs the full 10.5 s wait.
        var faults = Faults()
        faults.noConnectionDeadline = true
        let server = try FaultyServer.start(Profile.request.defaultParameters, faults: faults)
        defer { server.stop() }
        let roster = try Roster.parse([["student", "profile", "target"], ["ada", "request", server.endpoint.description]].map(CSV.row).joined())
        var configuration = try testConfiguration()
        configuration.runDeadline = .seconds(3)
        configuration.connectionDeadlineLimit = .milliseconds(Limits.maxConnectionMilliseconds + 500)
        let result = await ClassGrader.gradeAsync(roster, configuration: configuration)
        let grade = try #require(result.grades.first)
        let limit = try #require(grade.report.results.first { $0.id == "limit.connection-deadline" })
        #expect(limit.status == .notJudged, "\(grade.digest)")
        #expect(limit.checkerLimited == true)
        #expect(grade.score.check("limit.connection-deadline")?.possible == 0)
        #expect(!grade.report.results.contains { $0.status == .fail || $0.status == .warn }, "\(grade.digest)")
    }
}

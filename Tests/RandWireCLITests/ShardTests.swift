import Foundation
import Testing
import RandWireCLI
import RandWireGrading
import RandWireProtocol
import RandWireTestSupport

/// What the merged output may differ in from one run of the whole class: timings only.
/// In summary.html and in every JSON string: each `N.N s` and `N ms` duration ("answered in 3
/// ms"), the ISO 8601 "graded" time, and M in "200 of M exchanges answered" (how many requests
/// were in flight when sampling stopped, which no two runs share). JSON reports: also the
/// members `startedAt`, `durationMilliseconds` and `atMilliseconds` wherever they are, and
/// `localPort` (the client's ephemeral port, which no two runs share).
enum TimingNormaliser {
    static func text(_ text: String) -> String {
        text.replacingOccurrences(of: #"[0-9]+\.[0-9] s\b"#, with: "T s", options: .regularExpression)
            .replacingOccurrences(of: #"\b[0-9]+ ms\b"#, with: "T ms", options: .regularExpression)
            .replacingOccurrences(of: #"\b([0-9]+) of [0-9]+ exchanges answered"#, with: "$1 of M exchanges answered", options: .regularExpression)
            .replacingOccurrences(of: #"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"#, with: "DATE", options: .regularExpression)
    }

    static func json(_ data: Data) throws -> Any {
        strip(try JSONSerialization.jsonObject(with: data))
    }

    static func strip(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            return object.filter { !["startedAt", "durationMilliseconds", "atMilliseconds", "localPort"].contains($0.key) }.mapValues(strip)
        }
        if let array = value as? [Any] { return array.map(strip) }
        if let text = value as? String { return Self.text(text) }
        return value
    }
}

@Suite("randwire grade --shard and --merge", .serialized, .timeLimit(.minutes(5)))
struct ShardedGradingTests {
    /// A class of 30, as the issue asks.
    static let students = ["ada", "bob", "cy", "dee", "eve", "fay"] + (7...30).map { "student\($0)" }

    /// Deterministic servers (a constant answer, so every run sees the same bytes); every
    /// other one appends a LF (CORE-6).
    static func servers() throws -> [FaultyServer] {
        try students.indices.map { index in
            var faults = Faults()
            faults.respond = BiasedAnswers.number { _ in 15 }
            if index % 2 == 1 { faults.trailer = Array("\n".utf8) }
            return try FaultyServer.start(Profile.bare.defaultParameters, faults: faults)
        }
    }

    /// A fresh folder holding `roster.csv`: one student per server.
    static func rosterFolder(_ servers: [FaultyServer]) throws -> (URL, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rw-shards-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let roster = directory.appendingPathComponent("roster.csv").path
        let rows = zip(students, servers).map { "\($0),bare,\($1.endpoint.description)\n" }.joined()
        try ("student,profile,target\n" + rows).write(toFile: roster, atomically: true, encoding: .utf8)
        return (directory, roster)
    }

    static let runOptions = ["--format", "json", "--samples", "200", "--timeout", "1", "--jobs", "6", "--sandbox", "none"]

    @Test("three shards merged equal one run of the whole roster")
    func mergeEqualsWholeRun() async throws {
        let servers = try Self.servers()
        defer { servers.forEach { $0.stop() } }
        let (directory, roster) = try Self.rosterFolder(servers)
        defer { try? FileManager.default.removeItem(at: directory) }
        let whole = directory.appendingPathComponent("whole").path
        let wholeRun = await randwire(["grade", "--roster", roster, "--out", whole] + Self.runOptions)
        #expect(wholeRun.code == 0, "\(wholeRun.err)")
        var shardFolders: [String] = []
        var sliced: [String] = []
        for k in 1...3 {
            let out = directory.appendingPathComponent("shard\(k)").path
            shardFolders.append(out)
            let run = await randwire(["grade", "--roster", roster, "--shard", "\(k)/3", "--out", out] + Self.runOptions)
            #expect(run.code == 0, "\(run.err)")
            let record = try ShardRecord.load(directory: out)
            #expect(record.shard == Shard(index: k, count: 3))
            sliced += record.students.map(\.student)
        }
        #expect(sliced.sorted() == Self.students.sorted(), "every student graded by exactly one shard")

        let merged = directory.appendingPathComponent("merged").path
        let mergeRun = await randwire(["grade", "--merge", "--out", merged] + shardFolders.reversed())
        #expect(mergeRun.code == 0, "\(mergeRun.err)")
        #expect(mergeRun.out.hasPrefix("merged 3 shards: 30 students in "), "\(mergeRun.out)")

        func read(_ folder: String, _ name: String) throws -> Data {
            try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(name))
        }
        #expect(try read(merged, "grades.csv") == read(whole, "grades.csv"), "grades.csv byte for byte")
        let summary = { (folder: String) throws -> String in TimingNormaliser.text(String(decoding: try read(folder, "summary.html"), as: UTF8.self)) }
        #expect(try summary(merged) == summary(whole), "summary.html apart from timings")
        for student in Self.students {
            let mergedReport = try TimingNormaliser.json(read(merged, "\(student).json")) as? NSDictionary
            let wholeReport = try TimingNormaliser.json(read(whole, "\(student).json")) as? NSDictionary
            #expect(mergedReport != nil && mergedReport == wholeReport, "\(student).json apart from timings")
        }
    }

    @Test("a shard with another seed or rubric, a missing shard and a student graded twice are refused with exit 65")
    func refusals() async throws {
        let servers = try Self.servers()
        defer { servers.forEach { $0.stop() } }
        let (directory, roster) = try Self.rosterFolder(servers)
        defer { try? FileManager.default.removeItem(at: directory) }
        let quick = Self.runOptions
        let one = directory.appendingPathComponent("one").path, two = directory.appendingPathComponent("two").path
        #expect(await randwire(["grade", "--roster", roster, "--shard", "1/2", "--out", one] + quick).code == 0)
        #expect(await randwire(["grade", "--roster", roster, "--shard", "2/2", "--out", two, "--seed", "7"] + quick).code == 0)

        let seeds = await randwire(["grade", "--merge", "--out", directory.appendingPathComponent("m1").path, one, two])
        #expect(seeds.code == 65)
        #expect(seeds.err.contains("--seed 7 vs 1") && seeds.err.split(separator: "\n").count == 1, "\(seeds.err)")

        let rubric = directory.appendingPathComponent("rubric.json").path
        try #"{"points": {"basic.exchange": 5}}"#.write(toFile: rubric, atomically: true, encoding: .utf8)
        #expect(await randwire(["grade", "--roster", roster, "--shard", "2/2", "--out", two, "--rubric", rubric] + quick).code == 0)
        let rubrics = await randwire(["grade", "--merge", "--out", directory.appendingPathComponent("m0").path, one, two])
        #expect(rubrics.code == 65)
        #expect(rubrics.err.contains("with another rubric") && rubrics.err.split(separator: "\n").count == 1, "\(rubrics.err)")

        let missing = await randwire(["grade", "--merge", "--out", directory.appendingPathComponent("m2").path, one])
        #expect(missing.code == 65)
        #expect(missing.err.contains("missing shard 2/2"), "\(missing.err)")

        // shard 2 regraded with the right seed, then one of shard 1's students copied into it.
        #expect(await randwire(["grade", "--roster", roster, "--shard", "2/2", "--out", two] + quick).code == 0)
        var first = try ShardRecord.load(directory: one)
        var second = try ShardRecord.load(directory: two)
        let stolen = try #require(first.students.first)
        second.students.append(stolen)
        try second.write(to: two)
        let twice = await randwire(["grade", "--merge", "--out", directory.appendingPathComponent("m3").path, one, two])
        #expect(twice.code == 65)
        #expect(twice.err.contains("student '\(stolen.student)' is graded twice"), "\(twice.err)")

        // …and removed from both: missing.
        second.students.removeLast()
        try second.write(to: two)
        first.students.removeFirst()
        try first.write(to: one)
        let gone = await randwire(["grade", "--merge", "--out", directory.appendingPathComponent("m4").path, one, two])
        #expect(gone.code == 65)
        #expect(gone.err.contains("'\(stolen.student)' graded by no shard"), "\(gone.err)")
    }

    @Test("the assignment is FNV-1a of the name: stable, and a new student moves no one")
    func stableAssignment() {
        // Published FNV-1a 64 test vectors.
        #expect(Shard.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(Shard.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(Shard.fnv1a64("foobar") == 0x8594_4171_f739_67e8)
        let names = (1...200).map { "student\($0)" }
        let shards = (1...3).map { Shard(index: $0, count: 3) }
        let before = names.map { name in shards.filter { $0.contains(name) }.map(\.index) }
        #expect(before.allSatisfy { $0.count == 1 }, "each name in exactly one shard")
        let after = (names + ["newcomer"]).map { name in shards.filter { $0.contains(name) }.map(\.index) }
        #expect(Array(after.prefix(names.count)) == before)
        #expect(shards.allSatisfy { shard in names.contains { shard.contains($0) } }, "no empty shard among 200 names")
    }

    @Test("--shard parses K/N and auto/N from JOB_COMPLETION_INDEX (0-based) or CI_NODE_INDEX (1-based)")
    func shardParsing() throws {
        #expect(try Shard.parse("2/3", environment: [:]) == Shard(index: 2, count: 3))
        #expect(try Shard.parse("auto/4", environment: ["JOB_COMPLETION_INDEX": "0"]) == Shard(index: 1, count: 4))
        #expect(try Shard.parse("auto/4", environment: ["CI_NODE_INDEX": "4"]) == Shard(index: 4, count: 4))
        for bad in ["0/3", "4/3", "1/0", "3", "a/3", "auto/3"] {
            #expect(throws: Shard.ParseError.self, "\(bad)") { try Shard.parse(bad, environment: [:]) }
        }
        #expect(throws: Shard.ParseError.self) { try Shard.parse("auto/3", environment: ["JOB_COMPLETION_INDEX": "3"]) }
    }
}

#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing
import RandWireConformance
import RandWireGrading
import RandWireReports
import RandWireSocket
import RandWireTestSupport

/// A hostile student in a real `grade`: every attempt to reach outside its own folder, signal
/// the grader or exhaust the machine fails; the grader finishes and every file is intact.
@Suite("Contained students", .serialized, .timeLimit(.minutes(3)))
struct ContainmentTests {
    static let systemPython = "/usr/bin/python3"

    /// Root, the system's python (which another user may run), setpriv and writable cgroups.
    static var canContain: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: systemPython)
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
            && FileManager.default.isWritableFile(atPath: "/sys/fs/cgroup/pids")
    }

    struct Outcome {
        let log: [String: String]
        let grades: [String: StudentGrade]
        let out: URL
        let submissions: URL
    }

    func gradeWithMallory(sandbox: Containment.Sandbox) async throws -> Outcome {
        let work = try temporaryDirectory()
        let submissions = work.appendingPathComponent("submissions")
        let ada = submissions.appendingPathComponent("ada")
        try FileManager.default.createDirectory(at: ada, withIntermediateDirectories: true)
        try "ada's work\n".write(to: ada.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        let out = work.appendingPathComponent("grades")
        try GradeFiles.prepare(out.path)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Students/hostile.py").path
        let mallory = CommandSplitter.join([Self.systemPython, script, String(getpid()), out.path, ada.path, NSHomeDirectory()])
        let seed = CommandSplitter.join([Self.systemPython, SeedPrograms.script("seed000_server").path, "--port", "{port}"])
        let roster = try Roster.parse([
            ["student", "profile", "target", "options"],
            ["mallory", "bare", mallory, ""],
            ["ada", "bare", seed, "dir=\(ada.path)"],
        ].map(CSV.row).joined())
        var configuration = try testConfiguration(jobs: 2)
        configuration.sandbox = sandbox
        configuration.hiddenPaths = [out.path, submissions.path]
        let result = await ClassGrader.gradeAsync(roster, configuration: configuration)
        _ = try GradeFiles.write(result, to: out.path, formats: [.json])
        let grades = Dictionary(uniqueKeysWithValues: result.grades.map { ($0.student, $0) })
        let stdout = grades["mallory"]?.launch?.standardOutput.bytes ?? []
        let lines = String(decoding: stdout, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        var outcomes: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            outcomes[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        return Outcome(log: outcomes, grades: grades, out: out, submissions: submissions)
    }

    func expectContained(_ outcome: Outcome, readsHidden: Bool) throws {
        let log = outcome.log
        #expect(log["done"] != nil || log.keys.contains("write 2 GiB"), "the student ran its attempts: \(log)")
        for attempt in ["write output folder", "write other student", "write grader home", "kill grader", "allocate 8 GiB", "write 2 GiB"] {
            #expect(log[attempt]?.hasPrefix("failed") == true, "\(attempt): \(log[attempt] ?? "no outcome")")
        }
        if readsHidden { #expect(log["read other student"]?.hasPrefix("failed") == true, "\(log["read other student"] ?? "")") }
        let forks = Int(log["forks"] ?? "") ?? 10000
        #expect(forks < 1000, "the fork bomb was stopped at \(forks)")
        // Nothing written where it must not be; the grader's files are whole.
        #expect(!FileManager.default.fileExists(atPath: outcome.out.appendingPathComponent("pwned.txt").path))
        #expect(!FileManager.default.fileExists(atPath: outcome.submissions.appendingPathComponent("ada/pwned.txt").path))
        #expect(!FileManager.default.fileExists(atPath: NSHomeDirectory() + "/randwire-pwned.txt"))
        let csv = try String(contentsOf: outcome.out.appendingPathComponent("grades.csv"), encoding: .utf8)
        #expect(csv.split(whereSeparator: \.isNewline).count == 3, "\(csv)")
        // Ada is graded on her own server, unharmed.
        let ada = try #require(outcome.grades["ada"])
        #expect(ada.status == .conformant, "\(ada.digest)")
        let mallory = try #require(outcome.grades["mallory"])
        #expect(mallory.report.warnings.contains { $0.hasPrefix("contained: runs as user id") }, "\(mallory.report.warnings)")
        #expect(mallory.report.warnings.contains { $0.hasPrefix("contained: cgroup: at most") })
    }

    @Test("--sandbox none: user id, cgroups and limits stop the fork bomb, the 8 GiB and the 2 GiB file",
          .enabled(if: canContain, "needs root, /usr/bin/python3, setpriv and writable cgroups"))
    func withoutSandbox() async throws {
        let outcome = try await gradeWithMallory(sandbox: .none)
        try expectContained(outcome, readsHidden: false)
    }

    @Test("--sandbox bwrap: other students' folders and the output folder are not even visible",
          .enabled(if: canContain && Containment.bubblewrap != nil, "needs bubblewrap (Debian package bubblewrap) as well"))
    func withBubblewrap() async throws {
        let outcome = try await gradeWithMallory(sandbox: .bwrap)
        try expectContained(outcome, readsHidden: true)
        #expect(outcome.grades["mallory"]?.report.warnings.contains { $0.hasPrefix("contained: bubblewrap") } == true)
    }
}

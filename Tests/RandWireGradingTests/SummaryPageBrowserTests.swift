import Foundation
import RandWireConformance
@testable import RandWireGrading
import RandWireProtocol
import RandWireReports
import RandWireTestSupport
import Testing

/// `summary.html` as a teacher opens it: rendered in headless Chromium at desktop and phone
/// widths, with the score histogram drawn and each name leading to the student's HTML report.
@Suite("summary.html in headless Chromium", .serialized, .timeLimit(.minutes(3)),
       .enabled(if: HeadlessBrowser.available, "\(HeadlessBrowser.missing)"))
struct SummaryPageBrowserTests {
    /// A small class graded without processes: a correct server, one that answers out of range
    /// (deterministic, unlike a split request, whose pieces a busy machine may deliver as one),
    /// and a bare server whose generator favours 10...15.
    static func gradedClass() async throws -> ClassResult {
        var splitter = Faults()
        splitter.respond = { _, _ in Array("0".utf8) }
        var skewed = Faults()
        skewed.respond = BiasedAnswers.number { _ in [10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15, 16, 17, 18, 19, 20].randomElement()! }
        let small = try ProfileParameters(profile: .bare, min: 10, max: 20, count: 1)
        let students: [(String, ProfileParameters, Faults, [String])] = [
            ("alice", Profile.request.defaultParameters, Faults(), ["basic.exchange", "framing.split", "random.uniformity"]),
            ("bob <b>", Profile.request.defaultParameters, splitter, ["basic.exchange", "framing.split", "random.uniformity"]),
            ("carol", small, skewed, ["basic.exchange", "random.uniformity", "random.serial-correlation"]),
        ]
        let configuration = try testConfiguration()
        var grades: [StudentGrade] = []
        for (name, parameters, faults, only) in students {
            let server = try FaultyServer.start(parameters, faults: faults)
            defer { server.stop() }
            var run = RunConfiguration(target: server.endpoint, parameters: parameters, fixtures: configuration.fixtures)
            run.samples = 800
            run.only = only
            run.answerTimeout = .seconds(1)
            let report = await ConformanceRunner.runAsync(run)
            let entry = RosterEntry(student: name, parameters: parameters, target: .endpoint(server.endpoint))
            grades.append(StudentGrade(entry: entry, status: GradeStatus(report.verdict), report: report,
                                       score: configuration.rubric.score(report), launch: nil, duration: .milliseconds(300)))
        }
        return ClassResult(grades: grades, duration: .seconds(1), configuration: configuration)
    }

    @Test("summary.html renders with its score histogram, and each name opens the student's HTML report")
    func summaryRenders() async throws {
        let result = try await Self.gradedClass()
        #expect(result.grades.map(\.report.verdict) == [.passed, .notConformant, .notConformant], "\(result.grades.map(\.digest))")
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        try GradeFiles.write(result, to: out.path, formats: [.json, .html])
        let summary = try String(contentsOf: out.appendingPathComponent("summary.html"), encoding: .utf8)
        #expect(summary.contains("<h2 id=\"scores\">Scores</h2>"))
        for stem in ["alice", "bob_b", "carol"] {
            #expect(summary.contains("href=\"\(stem).html\""), "\(stem)'s name links to \(stem).html")
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(stem).html").path))
        }
        #expect(!summary.contains("<b>"), "the hostile name stays text")

        let keep = ProcessInfo.processInfo.environment["RANDWIRE_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
        let page = try HeadlessBrowser.render(summary, name: "summary", in: out, keep: keep)
        #expect(page.problems(heading: "RandWire grades").isEmpty, "\(page.problems(heading: "RandWire grades"))")
        #expect(HeadlessBrowser.looksRendered(page.desktopPNG) && HeadlessBrowser.looksRendered(page.phonePNG))
        let histogram = try #require(page.desktop.svgs.first { $0.className == "chart" }, "the score histogram is drawn")
        #expect(histogram.width > 100 && histogram.height > 50)
        #expect(page.desktop.text.contains("bob <b>"))
        // Following bob's link: his report renders with its verdict first.
        let bob = try String(contentsOf: out.appendingPathComponent("bob_b.html"), encoding: .utf8)
        let report = try HeadlessBrowser.probe(bob, width: 1280, in: out)
        #expect(report.problems(heading: "NOT CONFORMANT").isEmpty, "\(report.problems(heading: "NOT CONFORMANT"))")
    }
}

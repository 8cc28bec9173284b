import Foundation
import RandWireConformance
import RandWireProtocol
@testable import RandWireReports
import RandWireTestSupport
import Testing

/// Real runs whose HTML reports the browser tests render: each profile checked once against
/// a correct server and once against a server with a fault that profile shows best.
actor BrowserRuns {
    static let shared = BrowserRuns()

    /// Values 10...20, the example range, so a skew is plain in 11 bars.
    static let small = try! ProfileParameters(profile: .bare, min: 10, max: 20, count: 1)

    private var cache: [String: RunReport] = [:]

    func report(_ name: String, _ parameters: ProfileParameters, _ faults: Faults = Faults(), only: [String] = []) async throws -> RunReport {
        if let report = cache[name] { return report }
        let server = try FaultyServer.start(parameters, faults: faults)
        defer { server.stop() }
        var configuration = RunConfiguration(target: server.endpoint, parameters: parameters, fixtures: try FixtureLoader.builtIn())
        configuration.samples = 800
        configuration.parallelism = 8
        configuration.only = only
        configuration.answerTimeout = .seconds(1)
        configuration.connectionDeadlineLimit = .seconds(3)
        let report = await ConformanceRunner.runAsync(configuration)
        cache[name] = report
        return report
    }

    /// The fault each profile's failing report shows: a skewed generator (bare), sorted
    /// batches (csv), an answer to the first piece of a split request (the others, FRAME-4).
    static func failing(_ profile: Profile) -> (ProfileParameters, Faults) {
        var faults = Faults()
        switch profile {
        case .bare:
            faults.respond = BiasedAnswers.number { _ in skewedDraw() }
            return (small, faults)
        case .csv:
            faults.respond = BiasedAnswers.batch { parameters in
                (0..<parameters.count).map { _ in Int.random(in: parameters.min...parameters.max) }.sorted()
            }
        case .request, .double, .parity:
            faults.answerFirstRead = true
        }
        return (profile.defaultParameters, faults)
    }

    /// 10...15 twice as likely as 16...20.
    static func skewedDraw() -> Int {
        let draw = Int.random(in: 0..<17)
        return draw < 12 ? 10 + draw / 2 : 16 + (draw - 12)
    }
}

@Suite("HTML reports in headless Chromium", .serialized, .timeLimit(.minutes(5)),
       .enabled(if: HeadlessBrowser.available, "\(HeadlessBrowser.missing)"))
struct HTMLBrowserTests {
    /// The pages and screenshots of the last run, kept to look at (one folder, replaced by
    /// each run, so runs do not pile up).
    static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("randwire-html-browser-tests")
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Where screenshots are kept for the README when `RANDWIRE_SCREENSHOTS` names a folder.
    static let keep = ProcessInfo.processInfo.environment["RANDWIRE_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }

    static func write(_ html: String, _ name: String) throws -> URL {
        let url = directory.appendingPathComponent(name + ".html")
        try html.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Renders at both widths; expects no problems and real screenshots.
    static func render(_ html: String, _ name: String, verdict: String) throws -> HeadlessBrowser.Rendering {
        let rendering = try HeadlessBrowser.render(html, name: name, in: directory, keep: keep)
        #expect(rendering.problems(heading: verdict).isEmpty, "\(name): \(rendering.problems(heading: verdict))")
        #expect(HeadlessBrowser.looksRendered(rendering.desktopPNG) && HeadlessBrowser.looksRendered(rendering.phonePNG),
                "\(name): \(rendering.desktopPNG.count) and \(rendering.phonePNG.count) bytes")
        return rendering
    }

    @Test("a passing and a failing report of each profile render: verdict visible, every SVG sized, no console error, no sideways scroll on a phone",
          arguments: Profile.allCases)
    func profile(_ profile: Profile) async throws {
        let passing = try await BrowserRuns.shared.report("\(profile)-pass", profile == .bare ? BrowserRuns.small : profile.defaultParameters)
        #expect(passing.verdict == .conformant, "\(passing.verdictLine)")
        let (parameters, faults) = BrowserRuns.failing(profile)
        let failing = try await BrowserRuns.shared.report("\(profile)-fail", parameters, faults)
        #expect(failing.verdict == .notConformant, "\(failing.verdictLine)")
        let options = ReportOptions()
        let pass = try Self.render(ReportRenderer.render(passing, format: .html, options: options), "\(profile)-pass", verdict: "CONFORMANT")
        let fail = try Self.render(ReportRenderer.render(failing, format: .html, options: options), "\(profile)-fail", verdict: "NOT CONFORMANT")
        #expect(pass.desktopPNG != fail.desktopPNG && pass.phonePNG != fail.phonePNG)
        // The failing page opens its failed checks; their IDs and the reason are on screen.
        for result in failing.results where result.status == .fail {
            #expect(fail.desktop.text.contains(result.id), "\(result.id) not shown")
        }
        #expect(fail.desktop.text.contains(failing.verdictReason.prefix(40)))
        if profile.isRandom { #expect(fail.desktop.svgs.contains { $0.className == "chart" }, "a failed randomness check draws its sample") }
        if profile.clientSendsRequest { #expect(!fail.desktop.timelines.isEmpty, "the failed framing checks draw their timelines") }
    }

    @Test("FRAME-4: the timeline shows the answer arriving before the request's second piece")
    func answerBeforeSecondPiece() async throws {
        var faults = Faults()
        faults.answerFirstRead = true
        let report = try await BrowserRuns.shared.report("request-fail", Profile.request.defaultParameters, faults)
        let split = try #require(report.results.first { $0.id == "framing.split" })
        #expect(split.status == .fail && split.requirements.contains("FRAME-4"))
        let html = ReportRenderer.render(report, format: .html, options: ReportOptions())
        let probe = try HeadlessBrowser.probe(html, width: 1280, in: Self.directory)
        // Somewhere among the open timelines: sent, then received, then sent, top to bottom.
        let early = probe.timelines.filter { events in
            let sent = events.filter { $0.text == "event sent" }
            guard sent.count >= 2, let answer = events.first(where: { $0.text == "event received" }) else { return false }
            return sent[0].top < answer.top && answer.top < sent[1].top && events.allSatisfy(\.visible)
        }
        #expect(!early.isEmpty, "\(probe.timelines)")
    }

    @Test("a broken SVG is caught: the same checks fail on a page whose chart has no size")
    func brokenPageFails() async throws {
        let report = try await BrowserRuns.shared.report("bare-fail", BrowserRuns.small, BrowserRuns.failing(.bare).1)
        let html = ReportRenderer.render(report, format: .html, options: ReportOptions())
        let broken = html.replacingOccurrences(of: "<svg class=\"chart\" viewBox=\"0 0 480 220\" width=\"480\" height=\"220\"",
                                               with: "<svg class=\"chart\" viewBox=\"0 0 480 220\" width=\"0\" height=\"0\" style=\"flex:0 0 0;width:0;height:0\"")
        #expect(broken != html)
        let probe = try HeadlessBrowser.probe(broken, width: 1280, in: Self.directory)
        let problems = probe.problems(heading: "NOT CONFORMANT")
        #expect(problems.contains { $0.contains("(chart) is 0") }, "\(problems)")
        let hidden = html.replacingOccurrences(of: "<h1>", with: "<h1 style=\"visibility:hidden\">")
        let hiddenProblems = try HeadlessBrowser.probe(hidden, width: 1280, in: Self.directory).problems(heading: "NOT CONFORMANT")
        #expect(hiddenProblems.contains("the verdict is not visible"), "\(hiddenProblems)")
        // A page style that wins over the bars' heights (summary.html's `.bar` once did).
        let squashed = html.replacingOccurrences(of: "</style>", with: "svg .column { height: 14px; }</style>")
        let squashedProblems = try HeadlessBrowser.probe(squashed, width: 1280, in: Self.directory).problems(heading: "NOT CONFORMANT")
        #expect(squashedProblems.contains { $0.hasPrefix("chart: a rect drawn 14.0 px tall") }, "\(squashedProblems)")
    }

    @Test("skewed and clock-seeded generators look different from a correct one")
    func generatorsLookDifferent() async throws {
        var clock = Faults()
        clock.respond = BiasedAnswers.clockSeeded(sliceMilliseconds: 20)
        let reports = [
            try await BrowserRuns.shared.report("bare-pass", BrowserRuns.small),
            try await BrowserRuns.shared.report("bare-fail", BrowserRuns.small, BrowserRuns.failing(.bare).1),
            try await BrowserRuns.shared.report("bare-clock", BrowserRuns.small, clock),
        ]
        var screenshots: [Data] = []
        for (report, name) in zip(reports, ["generator-correct", "generator-skewed", "generator-clock-seeded"]) {
            // Only the randomness section, open, so the pictures are what differs.
            var random = report
            random.results = report.results.filter { $0.id == "random.uniformity" || $0.id == "random.adjacent-repeats" }
            let html = ReportRenderer.render(random, format: .html, options: ReportOptions())
                .replacingOccurrences(of: "<details class=\"check pass\"", with: "<details open=\"\" class=\"check pass\"")
            let page = try Self.write(html, name)
            let png = try HeadlessBrowser.screenshot(page, width: 1000, height: 1800, to: Self.directory.appendingPathComponent(name + ".png"))
            if let keep = Self.keep { try? png.write(to: keep.appendingPathComponent(name + ".png")) }
            screenshots.append(png)
        }
        #expect(Set(screenshots).count == 3)
        #expect(reports[1].results.first { $0.id == "random.uniformity" }?.status == .fail, "the skew fails uniformity")
        #expect(reports[2].results.contains { $0.id.hasPrefix("random.") && $0.status == .fail }, "the clock seeding fails a randomness check")
    }
}

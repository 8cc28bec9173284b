import Foundation
import RandWireCLI
import RandWireProtocol
import RandWireServer
import Testing

/// Runs the CLI in-process with stderr playing a terminal of type `term` (nil: not a terminal).
func randwire(_ arguments: [String], terminal term: String?) async -> (code: Int32, out: String, err: String) {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            let capture = CommandIO.Capture()
            var io = capture.io
            io.stderrIsTerminal = term != nil
            io.environment = term.map { ["TERM": $0] } ?? [:]
            let code = RandWireMain.run(arguments, io: io)
            continuation.resume(returning: (code, capture.out, capture.err))
        }
    }
}

@Suite("Live progress on a terminal, and only there", .serialized, .timeLimit(.minutes(2)))
struct ProgressTests {
    @Test("check shows [n/N] and what a long wait waits for")
    func checkCounts() async throws {
        let server = try startServer(.request)
        defer { server.stop() }
        let run = await randwire(["check", "--profile", "request", server.endpoint.description], terminal: "xterm-256color")
        #expect(run.code == 0, "\(run.out)")
        let updates = run.err.components(separatedBy: "\r\u{1B}[K").filter { !$0.isEmpty }
        #expect(updates.contains { $0.hasPrefix("[1/30] basic.exchange (connecting, waiting up to 2 s for an answer)") }, "\(updates.prefix(3))")
        #expect(updates.contains { $0.hasPrefix("[") && $0.contains("/30] limit.connection-deadline (waiting up to ") }, "\(updates)")
        #expect(updates.contains { $0.contains("/30] sample.format (sampling ") }, "\(updates)")
        // The counter never runs backwards and never passes the total.
        let positions = updates.compactMap { Int($0.dropFirst().prefix { $0 != "/" }) }
        #expect(positions == positions.sorted() && positions.allSatisfy { $0 <= 30 }, "\(positions)")
    }

    @Test("no progress when stderr is not a terminal, or the terminal is dumb", arguments: [nil, "dumb"] as [String?])
    func quiet(term: String?) async throws {
        let server = try startServer(.bare)
        defer { server.stop() }
        let run = await randwire(["check", "--profile", "bare", server.endpoint.description, "--only", "basic.exchange"], terminal: term)
        #expect(run.code == 0)
        #expect(!run.err.contains("\r") && !run.err.contains("\u{1B}") && !run.err.contains("[1/"), "\(run.err)")
    }

    @Test("grade shows graded/running/queued and the slowest student")
    func gradeLiveLine() async throws {
        let server = try startServer(.bare)
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rw-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let roster = directory.appendingPathComponent("roster.csv")
        try "student,profile,target\nada,bare,\(server.endpoint.description)\n".write(to: roster, atomically: true, encoding: .utf8)
        let run = await randwire(["grade", "--roster", roster.path, "--out", directory.appendingPathComponent("out").path,
                                  "--format", "json", "--samples", "200"], terminal: "xterm")
        #expect(run.code == 0, "\(run.err)")
        #expect(run.err.contains("graded 0/1 · running "), "\(run.err)")
        #expect(run.err.contains("\r\u{1B}[K[1/1] ada: "), "\(run.err)")
        #expect(run.err.hasSuffix("\r\u{1B}[K"), "the status line is cleared at the end")
    }
}

@testable import RandWireConformance
import RandWireSocket
import Testing

/// Regressions found by the hostile-server matrix (HostileServerTests).
@Suite("Scripted exchanges against hostile servers")
struct ExchangeLimitTests {
    /// A server sending one byte just inside every close wait held a run for minutes: the read
    /// loop only ended at the 1025-byte cap. The exchange limit now ends it.
    @Test("a trickling server is cut at the exchange limit and reported as not closing")
    func trickleIsCut() throws {
        let server = try HostileServer.start(.oneBytePerSecond)
        defer { server.stop() }
        let timing = ExchangeTiming(connect: .seconds(1), answer: .seconds(1), closeWait: .seconds(1), exchangeLimit: .milliseconds(2500))
        let start = Deadline.now
        let outcome = ScriptedExchange.run([], readResponse: true, target: server.endpoint, timing: timing)
        let elapsed = Deadline.now - start
        #expect(elapsed < .seconds(4), "the exchange took \(elapsed)")
        #expect(outcome.end == .noClose)
        #expect(!outcome.response.isEmpty && outcome.response.allSatisfy { $0 == UInt8(ascii: "1") })
        #expect(outcome.transcript.events.last { $0.kind == .timeout }?.text?.contains("kept trickling") == true)
    }

    /// A server that resets at accept was reported unreachable (exit 69, nothing judged) when
    /// the RST beat connect()'s completion: connect then fails with ECONNRESET, though the
    /// server is there and accepting. It is now a reset exchange.
    @Test("a reset during connect is a reset exchange, not an unreachable target")
    func resetDuringConnect() throws {
        let server = try HostileServer.start(.resets)
        defer { server.stop() }
        let timing = ExchangeTiming(connect: .seconds(1), answer: .seconds(1), closeWait: .seconds(1))
        for _ in 0..<50 {
            let outcome = ScriptedExchange.run([], readResponse: true, target: server.endpoint, timing: timing)
            #expect(outcome.connectError == nil, "\(outcome.connectError?.description ?? "")")
            #expect(outcome.end == .reset || (outcome.end == .eof && outcome.response.isEmpty), "\(outcome.end)")
        }
    }
}

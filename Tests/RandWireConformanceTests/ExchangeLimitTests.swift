@testable import RandWireConformance
import RandWireProtocol
import RandWireSocket
import Testing

/// Regressions found by the hostile-server matrix (HostileServerTests).
@Suite("Scripted exchanges against hostile servers")
struct ExchangeLimitTests {
    /// A server sending one byte just inside every close wait held a run for minutes: the read
    /// loop only ended at the 1025-byte cap. The exchange limit now ends it.
    @Test("a trickling server is cut at the exchange limit and reported as not closing")
    func trickleIsCut() async throws {
        let server = try HostileServer.start(.oneBytePerSecond)
        let endpoint = server.endpoint
        let timing = ExchangeTiming(connect: .seconds(1), answer: .seconds(1), closeWait: .seconds(1), exchangeLimit: .milliseconds(2500))
        // Timed on the blocking thread: a stalled concurrency pool must not count.
        let (outcome, elapsed) = await BlockingPool.perform {
            let start = Deadline.now
            let outcome = ScriptedExchange.run([], readResponse: true, target: endpoint, timing: timing)
            return (outcome, Deadline.now - start)
        }
        await BlockingPool.perform { server.stop() }
        // Unbounded before the fix (minutes); the slack is for a loaded 2-core test run.
        #expect(elapsed < .seconds(30), "the exchange took \(elapsed)")
        #expect(outcome.end == .noClose)
        #expect(!outcome.response.isEmpty && outcome.response.allSatisfy { $0 == UInt8(ascii: "1") })
        #expect(outcome.transcript.events.last { $0.kind == .timeout }?.text?.contains("kept trickling") == true)
    }

    /// A server that resets at accept was reported unreachable (exit 69, nothing judged) when
    /// the RST beat connect()'s completion: connect then fails with ECONNRESET, though the
    /// server is there and accepting. It is now a reset exchange.
    @Test("a reset during connect is a reset exchange, not an unreachable target")
    func resetDuringConnect() async throws {
        let server = try HostileServer.start(.resets)
        let endpoint = server.endpoint
        let timing = ExchangeTiming(connect: .seconds(1), answer: .seconds(1), closeWait: .seconds(1))
        let outcomes = await BlockingPool.perform {
            (0..<50).map { _ in ScriptedExchange.run([], readResponse: true, target: endpoint, timing: timing) }
        }
        await BlockingPool.perform { server.stop() }
        for outcome in outcomes {
            #expect(outcome.connectError == nil, "\(outcome.connectError?.description ?? "")")
            #expect(outcome.end == .reset || (outcome.end == .eof && outcome.response.isEmpty), "\(outcome.end)")
        }
    }
}

@Suite("The connection-deadline probe against a flooding server")
struct DeadlineProbeFloodTests {
    /// LIMIT-2's probe read until EOF, reset or timeout; a read past its deadline still returns
    /// waiting bytes, so a server that never stops sending kept the probe (and the run waiting
    /// on it) going for as long as the flood lasted.
    @Test("the probe ends at its limit while the server floods")
    func probeEndsAtLimit() async throws {
        let server = try HostileServer.start(.flood)
        let target = server.endpoint
        let (closedAfter, elapsed) = await BlockingPool.perform { () -> (Duration?, Duration) in
            let start = Deadline.now
            let outcome = ConformanceRunner.watchSilentConnection(target: target, connectTimeout: .seconds(2), until: .after(.seconds(1)))
            return (outcome.closedAfter, Deadline.now - start)
        }
        await BlockingPool.perform { server.stop() }
        // Unbounded before the fix (as long as the flood); slack for a loaded test run.
        #expect(elapsed < .seconds(30), "the probe ran \(elapsed) against a 1 s limit")
        #expect(closedAfter == nil, "a flooding connection is still open, not closed")
    }
}

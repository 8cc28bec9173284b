import Testing
@testable import RandWireProtocol

@Suite("Request framing (section 5)")
struct RequestAccumulatorTests {
    private func feed(_ bytes: [UInt8], chunkSize: Int) -> RequestAccumulator {
        var accumulator = RequestAccumulator()
        var index = 0
        while index < bytes.count {
            accumulator.append(bytes[index..<min(index + chunkSize, bytes.count)])
            index += chunkSize
        }
        return accumulator
    }

    @Test("FRAME-1: LF ends the request in any chunking; CR before it is dropped",
          arguments: [("42\n", "42"), ("42\r\n", "42"), ("\n", ""), ("a b\rc\n", "a b\rc")], [1, 2, 3, 5, 8, 16, 100])
    func lineFeed(request: (text: String, content: String), chunkSize: Int) {
        let accumulator = feed(Array(request.text.utf8), chunkSize: chunkSize)
        #expect(accumulator.state == .complete(Request(content: Array(request.content.utf8), end: .lineFeed)))
    }

    @Test("FRAME-1: bytes after the first LF are ignored")
    func afterLineFeed() {
        let accumulator = feed(Array("1\n2\n".utf8), chunkSize: 4)
        #expect(accumulator.state == .complete(Request(content: [0x31], end: .lineFeed)))
    }

    @Test("FRAME-2: half-close ends a request; with no byte it is empty (REQ-2)")
    func halfClose() {
        var accumulator = RequestAccumulator()
        accumulator.append(Array("Example request".utf8))
        #expect(accumulator.finishAtEOF() == .complete(Request(content: Array("Example request".utf8), end: .halfClose)))
        var empty = RequestAccumulator()
        #expect(empty.finishAtEOF() == .emptyAtEOF)
    }

    @Test("FRAME-3: quiet time ends only a request that has bytes")
    func quiet() {
        var accumulator = RequestAccumulator()
        #expect(accumulator.finishAtQuiet() == .incomplete)
        accumulator.append([0x37])
        #expect(accumulator.finishAtQuiet() == .complete(Request(content: [0x37], end: .quiet)))
    }

    @Test("LIMIT-1: 1024 bytes plus LF is a request; 1025 bytes is over the cap")
    func cap() {
        let exact = feed(Array(repeating: 0x31, count: 1024) + [0x0A], chunkSize: 100)
        #expect(exact.state == .complete(Request(content: Array(repeating: 0x31, count: 1024), end: .lineFeed)))
        let crlf = feed(Array(repeating: 0x31, count: 1024) + [0x0D, 0x0A], chunkSize: 7)
        #expect(crlf.state == .complete(Request(content: Array(repeating: 0x31, count: 1024), end: .lineFeed)))
        var over = feed(Array(repeating: 0x31, count: 1025), chunkSize: 1025)
        #expect(over.finishAtEOF() == .complete(Request(content: Array(repeating: 0x31, count: 1025), end: .overCap)))
        let flood = feed(Array(repeating: 0x31, count: 1 << 20), chunkSize: 4096)
        guard case let .complete(request) = flood.state else {
            Issue.record("a flood must complete as over cap")
            return
        }
        #expect(request.end == .overCap)
        #expect(flood.buffered.count <= Limits.maxRequestBytes + 2)
    }

    @Test("LIMIT-1: the read budget never lets a reader buffer more than the cap")
    func budget() {
        var accumulator = RequestAccumulator()
        #expect(accumulator.readBudget == 1026)
        accumulator.append(Array(repeating: 0x31, count: 1000))
        #expect(accumulator.readBudget == 26)
    }
}

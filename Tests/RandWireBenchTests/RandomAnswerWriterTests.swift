import RandWireProtocol
@testable import RandWireServer
import RandWireSocket
import Testing

/// The reference server's allocation-free answer writer (tuned for the benchmark): same bytes
/// and distribution as `ResponseEncoder`.
@Suite("Random answer writer")
struct RandomAnswerWriterTests {
    func answers(_ parameters: ProfileParameters, count: Int) -> [[UInt8]] {
        let writer = RandomAnswerWriter(parameters: parameters)!
        var random = BufferedSystemRandom()
        defer { random.deallocate() }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: RandomAnswerWriter.capacity, alignment: 16)
        defer { buffer.deallocate() }
        return (0..<count).map { _ in
            let length = writer.write(into: buffer, using: &random)
            return Array(UnsafeRawBufferPointer(start: buffer, count: length))
        }
    }

    @Test("canonical decimals, signs and extremes")
    func decimals() {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 32, alignment: 16)
        defer { buffer.deallocate() }
        for value in [0, 7, 10, 99, 100, -1, -10, 1_000_000_000_000_000, -1_000_000_000_000_000, Int.max, Int.min + 1] {
            let length = RandomAnswerWriter.writeDecimal(value, to: buffer)
            #expect(String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self) == String(value))
        }
    }

    @Test("every answer passes the judge, for each random profile and odd parameters",
          arguments: [
            ProfileParameters(profile: .bare), ProfileParameters(profile: .csv), ProfileParameters(profile: .request),
            try! ProfileParameters(profile: .bare, min: -5, max: 5, count: 1),
            try! ProfileParameters(profile: .csv, min: -1_000_000_000_000_000, max: 1_000_000_000_000_000, count: 50),
            try! ProfileParameters(profile: .bare, min: 42, max: 42, count: 1),
          ])
    func judged(_ parameters: ProfileParameters) {
        let request = parameters.profile == .request ? Request(content: Array("x".utf8), end: .lineFeed) : nil
        for answer in answers(parameters, count: 2000) {
            let judgement = ResponseJudge.judge(answer, request: request, parameters: parameters)
            #expect(judgement.isStrictlyClean, "\(judgement.problem ?? "")")
        }
    }

    @Test("uniform over 10...20: every value within 5 sigma of its expected count")
    func uniform() {
        var counts = [Int: Int]()
        for answer in answers(ProfileParameters(profile: .bare), count: 110_000) {
            counts[Int(String(decoding: answer, as: UTF8.self))!, default: 0] += 1
        }
        #expect(Set(counts.keys) == Set(10...20))
        // Binomial(110000, 1/11): mean 10000, sigma ≈ 95.3; 5 sigma ≈ 477.
        for (value, count) in counts { #expect(abs(count - 10_000) < 477, "\(value) drawn \(count) times") }
    }
}

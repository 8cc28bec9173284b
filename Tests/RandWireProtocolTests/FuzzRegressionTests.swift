import RandWireProtocol
import Testing

/// Inputs the fuzz targets (Fuzz/) found crashing, kept so they never come back.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// `parameters` target: abs(Int.min) trapped in validate(), so `--min -9223372036854775808`
    /// crashed `randwire serve` and `randwire check` instead of a usage error.
    @Test("Range bounds at Int.min and Int.max are rejected, not trapped", arguments: [Profile.bare, .csv, .request], [
        (Int.min, 0), (Int.min, Int.min), (0, Int.max), (Int.max, Int.max), (Int.min, Int.max),
    ])
    func extremeBounds(profile: Profile, bounds: (min: Int, max: Int)) {
        #expect(throws: ParameterError.self) {
            try ProfileParameters(profile: profile, min: bounds.min, max: bounds.max, count: 1)
        }
    }

    @Test("The bound limit itself is still allowed")
    func boundLimitAllowed() throws {
        let limit = ProfileParameters.boundLimit
        let parameters = try ProfileParameters(profile: .bare, min: -limit, max: limit, count: 1)
        #expect(parameters.rangeSize == UInt64(2 * limit) + 1)
    }
}

@Suite("Fuzz regressions: same-length answers")
struct SameLengthFuzzRegressionTests {
    private var parameters: ProfileParameters {
        var parameters = ProfileParameters(profile: .parity)
        parameters.tooLongMode = .sameLength
        return parameters
    }

    private let request = Request(content: Array("12345678901".utf8), end: .lineFeed)

    /// `judge` target: a same-length answer (PARITY-2) is "ASCII without LF"; the judge
    /// accepted any 11 bytes, an inner LF or multi-byte UTF-8 included.
    @Test("an inner LF or non-ASCII bytes are not a same-length answer", arguments: [
        "abcde\nfghij", "ééééé" + "x",
    ])
    func rejects(answer: String) {
        let raw = Array(answer.utf8)
        #expect(raw.count == 11)
        #expect(!ResponseJudge.judge(raw, request: request, parameters: parameters).isAcceptable)
    }

    @Test("an 11-byte ASCII string still passes, with or without a trailing LF")
    func accepts() {
        #expect(ResponseJudge.judge(Array("abcdefghijk".utf8), request: request, parameters: parameters).isAcceptable)
        #expect(ResponseJudge.judge(Array("a-c-e-g-i-k\n".utf8), request: request, parameters: parameters).isAcceptable)
    }
}

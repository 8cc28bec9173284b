import RandWireProtocol
import Testing

/// Inputs the fuzz targets (Fuzz/) found crashing, kept so they never come back.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// `parameters` target: abs(Int.min) trapped in validate(), so `--min -9223372036854775808`
    /// crashed `randwire serve` and `randwire check` instead of a usage error.
    @Test("Range bounds at Int.min and Int.max are rejected, not trapped", arguments: [
        (Int.min, 0), (Int.min, Int.min), (0, Int.max), (Int.max, Int.max), (Int.min, Int.max),
    ])
    func extremeBounds(min: Int, max: Int) {
        for profile in [Profile.bare, .csv, .request] {
            #expect(throws: ParameterError.self) {
                try ProfileParameters(profile: profile, min: min, max: max, count: 1)
            }
        }
    }

    @Test("The bound limit itself is still allowed")
    func boundLimitAllowed() throws {
        let limit = ProfileParameters.boundLimit
        let parameters = try ProfileParameters(profile: .bare, min: -limit, max: limit, count: 1)
        #expect(parameters.rangeSize == UInt64(2 * limit) + 1)
    }
}

import RandWireArguments
import RandWireProtocol

/// Turns the shared profile options into validated parameters; every problem is a usage error.
enum ProfileArguments {
    static func profile(_ arguments: ParsedArguments, required: Bool = true) throws(UsageError) -> Profile? {
        guard let profile = try arguments.choice("--profile", as: Profile.self) else {
            if required { throw UsageError("Missing expected option '--profile <profile>' (one of \(CommandTree.profileNames))") }
            return nil
        }
        return profile
    }

    static func parameters(_ arguments: ParsedArguments, profile: Profile) throws(UsageError) -> ProfileParameters {
        var parameters = ProfileParameters(profile: profile)
        let bound = ProfileParameters.boundLimit
        if let min = try arguments.int("--min", in: -bound...bound) { parameters.min = min }
        if let max = try arguments.int("--max", in: -bound...bound) { parameters.max = max }
        if let count = try arguments.int("--count", in: 1...ProfileParameters.countLimit) { parameters.count = count }
        if !profile.isRandom, arguments.value("--min") != nil || arguments.value("--max") != nil || arguments.value("--count") != nil {
            throw UsageError("--min, --max and --count apply to the bare, csv and request profiles only")
        }
        if let tokens = arguments.value("--tokens") {
            guard profile == .parity || profile == .double else {
                throw UsageError("--tokens applies to the parity and double profiles only")
            }
            do {
                parameters.tokens = try Tokens.parse(tokens)
            } catch {
                throw UsageError("The value '\(tokens)' is invalid for '--tokens': \(error.description)")
            }
        }
        if let mode = try arguments.choice("--too-long", as: TooLongMode.self) {
            guard profile == .parity else { throw UsageError("--too-long applies to the parity profile only") }
            parameters.tooLongMode = mode
        }
        do {
            try parameters.validate()
        } catch {
            throw UsageError(error.description)
        }
        return parameters
    }

    static func seconds(_ arguments: ParsedArguments, _ name: String, in range: ClosedRange<Double> = 0.001...3600) throws(UsageError) -> Duration? {
        guard let value = try arguments.double(name, in: range) else { return nil }
        return .milliseconds(Int64((value * 1000).rounded()))
    }
}

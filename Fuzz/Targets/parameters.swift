// Fuzz target `parameters`: Tokens.parse (the --tokens syntax) and ProfileParameters
// validation. Input: control byte, three 64-bit integers and a count for the range, then the
// --tokens text.
// Invariants: parsed tokens are four different non-empty words without CR, LF or NUL, at most
// 64 bytes, and survive a round trip through `argument`; a range that validates never traps
// and every batch drawn from it fits the 1024-byte cap and passes the judge.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParameters(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    let edges: [Int] = [.min, .max, 0, -1, 1, ProfileParameters.boundLimit, -ProfileParameters.boundLimit, 1 << 62]
    func number(_ raw: Int64) -> Int { control & 0x40 != 0 ? edges[Int(raw & 7)] : Int(raw) }
    let min = number(input.int64())
    let max = number(input.int64())
    let count = Int(Int16(truncatingIfNeeded: input.int64()))
    let text = String(decoding: input.rest(), as: UTF8.self)

    do {
        let tokens = try Tokens.parse(text)
        let words = [tokens.even, tokens.odd, tokens.tooLong, tokens.error]
        require(Set(words).count == 4, "tokens not distinct: \(words)")
        for word in words {
            require(!word.isEmpty && word.utf8.count <= 64, "bad word length \(word.utf8.count)")
            require(!word.utf8.contains { $0 == 0x0A || $0 == 0x0D || $0 == 0x00 }, "word holds CR, LF or NUL")
        }
        let again = try Tokens.parse(tokens.argument)
        require(again == tokens, "round trip changed \(tokens.argument)")
    } catch {
        require(!error.description.isEmpty, "empty error text")
    }

    let profiles: [Profile] = [.bare, .csv, .request]
    let profile = profiles[Int(control & 0x3F) % profiles.count]
    do {
        let parameters = try ProfileParameters(profile: profile, min: min, max: max, count: count)
        require(parameters.rangeSize >= 1, "empty range")
        var generator = FuzzGenerator(seed: UInt64(bitPattern: Int64(min)) ^ UInt64(control))
        let request = profile == .request ? Request(content: [0x31], end: .lineFeed) : nil
        for _ in 0..<4 {
            guard let answer = ResponseEncoder.response(for: request, parameters: parameters, using: &generator) else {
                require(false, "no answer for \(profile)")
                return 0
            }
            require(answer.count <= Limits.maxResponseBytes, "a \(answer.count)-byte answer")
            let verdict = ResponseJudge.judge(answer, request: request, parameters: parameters)
            require(verdict.isStrictlyClean, "judged \(verdict.problem ?? "?")")
        }
    } catch {
        require(!error.description.isEmpty, "empty error text")
    }
    return 0
}

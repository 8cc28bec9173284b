// Fuzz target `judge`: ResponseJudge and ExpectedAnswer for every profile, with default and
// custom parameters. Input: control byte (parameter variant, request end), request length,
// request bytes, then the response bytes a server sent.
// Invariants: never accepts a response over 1024 bytes; an accepted answer carries a value
// that satisfies the expectation; what the reference encoder sends is always judged clean;
// every requirement named exists in the table.

private let variants: [ProfileParameters] = {
    var list = Profile.allCases.map(\.defaultParameters)
    var csv = ProfileParameters(profile: .csv)
    (csv.min, csv.max, csv.count) = (-5, 5, 3)
    var bare = ProfileParameters(profile: .bare)
    (bare.min, bare.max) = (-1_000_000_000_000_000, 1_000_000_000_000_000)
    var sameLength = ProfileParameters(profile: .parity)
    sameLength.tooLongMode = .sameLength
    var custom = ProfileParameters(profile: .parity)
    custom.tokens = Tokens(even: "EVEN", odd: "ÖDD", tooLong: "long", error: "bad input")
    var double = ProfileParameters(profile: .double)
    double.tokens.error = "nope"
    list += [csv, bare, sameLength, custom, double]
    return list
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJudge(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    let length = Int(input.byte()) | Int(input.byte() & 0x07) << 8
    let content = input.take(length)
    let raw = input.rest()
    let ends: [RequestEnd] = [.lineFeed, .halfClose, .quiet, .overCap]
    let request: Request? = control & 0x80 != 0 ? nil : Request(content: content, end: ends[Int(control & 0x03)])

    for parameters in variants {
        let expected = ExpectedAnswer.forRequest(request, parameters: parameters)
        let requirement = ResponseJudge.governingRequirement(for: request, parameters: parameters)
        require(Requirements.requirement(requirement) != nil, "unknown requirement \(requirement)")
        require(!expected.summary.isEmpty, "empty summary")

        let judgement = ResponseJudge.judge(raw, request: request, parameters: parameters)
        for finding in judgement.findings {
            require(Requirements.requirement(finding.requirement) != nil, "finding names unknown \(finding.requirement)")
        }
        if raw.count > Limits.maxResponseBytes { require(!judgement.isAcceptable, "accepted \(raw.count) bytes") }
        if !judgement.isStrictlyClean { require(judgement.problem != nil, "findings but no problem line") }
        if judgement.isAcceptable {
            switch expected {
            case .nothing: require(raw.isEmpty, "accepted bytes where nothing was due")
            case let .number(min, max):
                guard case let .numbers(values)? = judgement.value, values.count == 1 else {
                    require(false, "accepted a number without a value")
                    break
                }
                require((min...max).contains(values[0]), "accepted \(values[0]) outside \(min)...\(max)")
            case let .batch(count, min, max):
                guard case let .numbers(values)? = judgement.value else {
                    require(false, "accepted a batch without values")
                    break
                }
                require(values.count == count && values.allSatisfy { (min...max).contains($0) }, "accepted a wrong batch")
            case let .exact(bytes):
                var payload = raw
                if payload.last == 0x0A { payload.removeLast() }
                if payload.last == 0x0D { payload.removeLast() }
                require(payload == bytes, "accepted different bytes")
            case let .anyOfLength(count):
                // PARITY-2: ASCII without LF, exactly as long as the request.
                var payload = raw
                if payload.last == 0x0A { payload.removeLast() }
                if payload.last == 0x0D { payload.removeLast() }
                require(payload.count == count, "accepted a wrong length")
                require(payload.allSatisfy { $0 < 0x80 && $0 != 0x0A }, "accepted \(ByteEscaping.escape(payload)) as same-length (ASCII without LF)")
            }
        }

        // The reference encoder's answer always passes the judge, SHOULDs included.
        var generator = FuzzGenerator(seed: UInt64(control) << 32 | UInt64(raw.count))
        let answer = ResponseEncoder.response(for: request, parameters: parameters, using: &generator)
        let verdict = ResponseJudge.judge(answer ?? [], request: request, parameters: parameters)
        require(verdict.isStrictlyClean, "reference answer \(ByteEscaping.escape(answer ?? [])) judged \(verdict.problem ?? "?")")
        require((answer ?? []).count <= Limits.maxResponseBytes, "reference answer over the cap")
    }
    _ = ByteEscaping.escape(raw, limit: Int(control))
    return 0
}

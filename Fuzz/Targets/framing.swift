// Fuzz target `framing`: RequestAccumulator (FRAME-1..3, LIMIT-1).
// Input: one control byte (chunking pattern), then the bytes a client sends.
// Invariants: never buffers more than 1026 bytes; the read budget is positive while a request is
// incomplete (a zero budget would make the server's recv return 0 and look like EOF); the
// result does not depend on how the bytes were split; it matches a direct model of section 5.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFraming(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    let payload = input.rest()
    let cap = Limits.maxRequestBytes + 2

    var whole = RequestAccumulator()
    let wholeState = whole.append(payload)
    require(whole.buffered.count <= cap, "one-shot buffered \(whole.buffered.count)")

    // Chunked the way the server reads: never more than the read budget at once.
    var chunked = RequestAccumulator()
    var generator = FuzzGenerator(seed: UInt64(control) &* 0x9E37_79B9_7F4A_7C15)
    var offset = 0
    while offset < payload.count {
        if case .incomplete = chunked.state {
            require(chunked.readBudget >= 1, "budget \(chunked.readBudget) while incomplete")
        }
        let wanted = control & 0x80 != 0 ? Int(generator.next() % 2048) + 1 : Int(generator.next() % 8) + 1
        let budget = max(chunked.readBudget, 1)
        let end = min(payload.count, offset + min(wanted, budget))
        chunked.append(payload[offset..<end])
        require(chunked.buffered.count <= cap, "chunked buffered \(chunked.buffered.count)")
        offset = end
    }
    require(chunked.state == wholeState, "chunking changed the result: \(chunked.state) vs \(wholeState)")

    // The model: content up to the first LF (a CR before it dropped) or the cap.
    let lf = payload.firstIndex(of: 0x0A)
    switch wholeState {
    case .emptyAtEOF:
        require(false, "emptyAtEOF before any EOF")
    case let .complete(request):
        require(!request.content.contains(0x0A), "content holds an LF")
        require(request.content.count <= cap, "content \(request.content.count) bytes")
        require((request.end == .overCap) == (request.content.count > Limits.maxRequestBytes), "end \(request.end) for \(request.content.count) bytes")
        if let lf, lf <= Limits.maxRequestBytes + 1 {
            var expected = Array(payload[..<lf])
            if expected.last == 0x0D { expected.removeLast() }
            require(request.content == expected, "LF request differs from the model")
        } else {
            require(request.end == .overCap && request.content == Array(payload.prefix(cap)), "cap request differs from the model")
        }
    case .incomplete:
        require(lf == nil && payload.count <= Limits.maxRequestBytes + 1, "incomplete after \(payload.count) bytes")
        var atEOF = whole
        var atQuiet = whole
        switch atEOF.finishAtEOF() {
        case .emptyAtEOF: require(payload.isEmpty, "emptyAtEOF with bytes")
        case let .complete(request):
            require(request.content == payload, "half-close content differs")
            require(request.end == (payload.count > Limits.maxRequestBytes ? .overCap : .halfClose), "half-close end \(request.end)")
        case .incomplete: require(false, "still incomplete at EOF")
        }
        switch atQuiet.finishAtQuiet() {
        case .incomplete: require(payload.isEmpty, "quiet time did not end a non-empty request")
        case let .complete(request): require(request.content == payload && !payload.isEmpty, "quiet content differs")
        case .emptyAtEOF: require(false, "emptyAtEOF at quiet time")
        }
    }
    return 0
}

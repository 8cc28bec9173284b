/// One deviation from the spec, named by its requirement.
public struct Finding: Sendable, Hashable, Codable, CustomStringConvertible {
    public let requirement: String
    public let level: RequirementLevel
    public let message: String
    /// What went wrong, abstracted from where it was seen (`extra-output:"Welcome! "`,
    /// `wrong-answer:"EVEN"`, `silence`): two findings with the same fault are one fault seen
    /// twice, so a report can name it once and show the rest as its consequences.
    public var fault: String?
    /// The check whose finding explains this one, when this one is only its echo.
    public var consequenceOf: String?

    public init(_ requirement: String, _ message: String, fault: String? = nil) {
        self.requirement = requirement
        self.level = Requirements.requirement(requirement)?.level ?? .must
        self.message = message
        self.fault = fault
    }

    /// The same fault, charged to another requirement (the one its root finding names).
    public func charged(to requirement: String, consequenceOf root: String?) -> Finding {
        var finding = Finding(requirement, message, fault: fault)
        finding.consequenceOf = root
        return finding
    }

    public var description: String { "\(message) (\(requirement), \(level.rawValue))" }
}

/// The trailing line ending a response carried, if any (CORE-6, CORE-7).
public enum ResponseTerminator: String, Sendable, Codable {
    case none, lf, crlf
}

/// What a client made of a response: the parsed value, and every deviation found.
public struct ResponseJudgement: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case numbers([Int])
        case text(String)
        case nothing
    }

    public let raw: [UInt8]
    public let terminator: ResponseTerminator
    public let value: Value?
    public let findings: [Finding]

    /// True when no MUST-level finding was made (a trailing LF alone is only a SHOULD).
    public var isAcceptable: Bool { !findings.contains { $0.level == .must } }

    /// True when nothing at all was found, SHOULDs included (`--strict`).
    public var isStrictlyClean: Bool { findings.isEmpty }

    /// The first finding as one line: `got "15\n\n": not a number (BARE-1)`.
    public var problem: String? {
        guard let first = findings.first(where: { $0.level == .must }) ?? findings.first else { return nil }
        return "got \(ByteEscaping.escape(raw)) — \(first.message) (\(first.requirement))"
    }
}

/// Judges response bytes against the answer the spec requires (CORE-4/6/8/10, BARE, CSV, REQ,
/// PARITY, DOUBLE). Pure: used by the reference client and by every runner check.
public enum ResponseJudge {
    /// The requirement whose answer rule applies to this request, for naming failures.
    public static func governingRequirement(for request: Request?, parameters: ProfileParameters) -> String {
        switch parameters.profile {
        case .bare: return "BARE-1"
        case .csv: return "CSV-1"
        case .request:
            guard let request else { return "REQ-2" }
            return request.end == .overCap ? "REQ-3" : "REQ-1"
        case .parity:
            guard let request else { return "PARITY-3" }
            switch ParityVerdict.classify(request) {
            case .even, .odd: return "PARITY-1"
            case .tooLong: return "PARITY-2"
            case .error: return request.end == .overCap ? "PARITY-4" : "PARITY-3"
            }
        case .double:
            guard let request else { return "DOUBLE-2" }
            if request.end == .overCap { return "DOUBLE-3" }
            if case let .success(number) = DecimalInteger.parse(request.content) {
                return number.doubled().utf8.count <= Limits.maxResponseBytes ? "DOUBLE-1" : "DOUBLE-3"
            }
            return "DOUBLE-2"
        }
    }

    public static func judge(_ raw: [UInt8], request: Request?, parameters: ProfileParameters) -> ResponseJudgement {
        judge(
            raw, expected: ExpectedAnswer.forRequest(request, parameters: parameters),
            requirement: governingRequirement(for: request, parameters: parameters), request: request
        )
    }

    /// Judges `raw` against `expected`, charging a wrong answer to `requirement`. With the
    /// request, an answer preceded by an echo of it is recognised as such (CORE-8).
    public static func judge(_ raw: [UInt8], expected: ExpectedAnswer, requirement: String, request: Request? = nil) -> ResponseJudgement {
        var findings: [Finding] = []
        if case .nothing = expected {
            if !raw.isEmpty {
                // Words where silence was due are the server's banner or log line (CORE-8's fault),
                // and the same fault as wherever else it shows.
                let fault = ExtraOutput.hasWords(raw) ? "extra-output:" + FaultShape.normalized(raw) : "unexpected-answer"
                findings.append(Finding(requirement, "expected no answer, got \(ByteEscaping.escape(raw))", fault: fault))
            }
            return ResponseJudgement(raw: raw, terminator: .none, value: .nothing, findings: findings)
        }
        if raw.count > Limits.maxResponseBytes {
            findings.append(Finding("CORE-4", "the response is \(raw.count) bytes, over the 1024-byte cap", fault: "over-cap"))
            return ResponseJudgement(raw: raw, terminator: .none, value: nil, findings: findings)
        }
        guard !raw.isEmpty else {
            findings.append(Finding(requirement, "the server closed without answering", fault: "closed-without-answer"))
            return ResponseJudgement(raw: raw, terminator: .none, value: nil, findings: findings)
        }
        var payload = raw[...]
        var terminator = ResponseTerminator.none
        if payload.last == 0x0A {
            payload = payload.dropLast()
            terminator = .lf
            if payload.last == 0x0D {
                payload = payload.dropLast()
                terminator = .crlf
            }
            findings.append(Finding("CORE-6", "trailing \(terminator == .lf ? "LF" : "CRLF") after the response", fault: "trailing-newline"))
        }
        if String(validating: payload, as: UTF8.self) == nil {
            findings.append(Finding("CORE-8", "the response is not valid UTF-8", fault: "not-utf8"))
            return ResponseJudgement(raw: raw, terminator: terminator, value: nil, findings: findings)
        }
        var (value, content) = contentFindings(payload, expected: expected, requirement: requirement)
        if content.contains(where: { $0.level == .must }),
           let explained = ExtraOutput.explain(Array(payload), request: request, accepts: { candidate in
               !contentFindings(candidate[...], expected: expected, requirement: requirement).findings.contains { $0.level == .must }
           }) {
            // A valid answer with something else around it: the something else is the fault.
            value = contentFindings(explained.answer[...], expected: expected, requirement: requirement).value
            content = [explained.finding]
        }
        return ResponseJudgement(raw: raw, terminator: terminator, value: value, findings: findings + content)
    }

    /// The answer's content against what was expected, after line ending and UTF-8.
    static func contentFindings(_ payload: ArraySlice<UInt8>, expected: ExpectedAnswer, requirement: String) -> (value: ResponseJudgement.Value?, findings: [Finding]) {
        var findings: [Finding] = []
        var value: ResponseJudgement.Value?
        switch expected {
        case .nothing: break
        case let .number(min, max):
            switch parseNumber(payload) {
            case let .failure(problem):
                findings.append(Finding(problem.canonicalOnly ? "CORE-10" : requirement, problem.message, fault: FaultShape.of(problem, payload)))
            case let .success(number):
                value = .numbers([number])
                if number < min || number > max {
                    findings.append(Finding(requirement, "\(number) is outside \(min)...\(max)", fault: "out-of-range"))
                }
            }
        case let .batch(count, min, max):
            let fields = payload.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            var numbers: [Int] = []
            for (index, field) in fields.enumerated() {
                switch parseNumber(field) {
                case let .failure(problem):
                    let where_ = fields.count > 1 ? "field \(index + 1): " : ""
                    findings.append(Finding(problem.canonicalOnly ? "CORE-10" : "CSV-1", where_ + problem.message, fault: FaultShape.of(problem, field)))
                case let .success(number):
                    numbers.append(number)
                    if number < min || number > max {
                        findings.append(Finding("CSV-2", "field \(index + 1) is \(number), outside \(min)...\(max)", fault: "out-of-range"))
                    }
                }
            }
            if fields.count != count {
                findings.append(Finding("CSV-1", "\(fields.count) fields, expected \(count)", fault: "field-count:\(fields.count)"))
            }
            if numbers.count == fields.count { value = .numbers(numbers) }
        case let .exact(bytes):
            let text = String(decoding: payload, as: UTF8.self)
            value = .text(text)
            if !payload.elementsEqual(bytes) {
                // Tokens that render alike (NFC against NFD, a no-break space) need their octets shown.
                let difference = ByteEscaping.difference(received: payload, expected: bytes).map { " (\($0))" } ?? ""
                findings.append(Finding(requirement, "expected \(ByteEscaping.escape(bytes))\(difference)", fault: "wrong-answer:" + ByteEscaping.escape(payload, limit: 40)))
            }
        case let .anyOfLength(length):
            value = .text(String(decoding: payload, as: UTF8.self))
            if payload.count != length {
                findings.append(Finding(requirement, "expected a string as long as the request (\(length) bytes), got \(payload.count) bytes", fault: "wrong-length"))
            } else if payload.contains(where: { $0 == 0x0A || $0 >= 0x80 }) {
                // PARITY-2: a same-length string is ASCII without LF.
                findings.append(Finding(requirement, "expected an ASCII string without LF as long as the request (\(length) bytes)", fault: "wrong-length"))
            }
        }
        return (value, findings)
    }

    struct NumberProblem: Error {
        let message: String
        /// True when the text is a number but not in canonical form (CORE-10).
        let canonicalOnly: Bool
    }

    /// Parses a canonical decimal number (CORE-10): `number = "0" / ["-"] %x31-39 *DIGIT`.
    static func parseNumber(_ field: some Collection<UInt8>) -> Result<Int, NumberProblem> {
        let bytes = Array(field)
        guard !bytes.isEmpty else { return .failure(NumberProblem(message: "empty field", canonicalOnly: false)) }
        if let space = bytes.firstIndex(where: { $0 == 0x20 || $0 == 0x09 }), DecimalInteger.parse(bytes.filter { $0 != 0x20 && $0 != 0x09 }).isSuccess {
            _ = space
            return .failure(NumberProblem(message: "a number with whitespace", canonicalOnly: false))
        }
        switch DecimalInteger.parse(bytes) {
        case let .failure(reason): return .failure(NumberProblem(message: "not a number: \(reason)", canonicalOnly: false))
        case let .success(number):
            if bytes[0] == UInt8(ascii: "+") {
                return .failure(NumberProblem(message: "a '+' sign is not canonical", canonicalOnly: true))
            }
            if number.digits.count > 1 && number.digits[0] == 0x30 {
                return .failure(NumberProblem(message: "leading zeros are not canonical", canonicalOnly: true))
            }
            if number.isNegative && number.isZero {
                return .failure(NumberProblem(message: "'-0' is not canonical", canonicalOnly: true))
            }
            guard number.digits.count <= 18, let magnitude = Int(String(decoding: number.digits, as: UTF8.self)) else {
                return .failure(NumberProblem(message: "a \(number.digits.count)-digit number, beyond any allowed range", canonicalOnly: false))
            }
            return .success(number.isNegative ? -magnitude : magnitude)
        }
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}

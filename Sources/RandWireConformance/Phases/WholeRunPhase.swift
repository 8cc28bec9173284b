import RandWireProtocol
import RandWireSocket

extension ConformanceRunner {
    func runWholeRunFormatChecks() {
        let check = definition(BuiltinChecks.noTrailingNewline)
        guard ledger.mayRun(check, needsTime: false) else { return }
        let offending = ledger.responses.filter { $0.judgement.terminator != .none }
        if let first = offending.first {
            ledger.record(check, findings: [Finding("CORE-6", "\(offending.count) of \(ledger.responses.count) responses end with \(first.judgement.terminator == .lf ? "LF" : "CRLF"), e.g. \(ByteEscaping.escape(first.judgement.raw)) in \(first.check)")],
                   message: "", transcripts: [first.transcript])
        } else if ledger.responses.isEmpty {
            ledger.recordStatus(check, .notJudged, "not judged: no response was received")
        } else {
            ledger.record(check, findings: [], message: "none of \(ledger.responses.count) responses ends with LF or CRLF")
        }
    }
}

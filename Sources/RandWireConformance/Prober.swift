#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireProtocol
import RandWireSocket

/// What `randwire probe` found: the profile a server speaks, the evidence, and the `check`
/// command to run next.
package struct ProbeResult: Sendable, Codable {
    package var target: String
    package var profile: Profile?
    package var parameters: ProfileParameters?
    /// One line per observation, in order.
    package var evidence: [String] = []
    /// The `randwire check` command line that fits what was observed.
    package var suggestedCommand: String?
}

/// Identifies a server's profile black-box, gently: it never sends an empty or malformed
/// request, so fragile servers (seeds 003 and 004 die on those) survive being probed.
package enum Prober {
    package static func probe(_ target: Endpoint, timeout: Duration = .seconds(2), samples: Int = 200) -> ProbeResult {
        var result = ProbeResult(target: target.description)
        let timing = ExchangeTiming(connect: timeout, answer: timeout, closeWait: .milliseconds(Limits.responseQuietMilliseconds + 50))
        var quickTiming = timing
        quickTiming.answer = .milliseconds(500)
        let first = ScriptedExchange.run([], readResponse: true, target: target, timing: quickTiming)
        if let error = first.connectError {
            result.evidence.append("could not connect: \(error.description)")
            return result
        }
        if !first.response.isEmpty {
            result.evidence.append("the server spoke first, without a request: \(ByteEscaping.escape(first.response))")
            let fields = first.response.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            let profile: Profile = fields.count > 1 ? .csv : .bare
            result.evidence.append(profile == .csv ? "\(fields.count) comma-separated fields: csv" : "one field: bare")
            return sampleRange(profile: profile, count: fields.count, steps: [], target: target, timing: timing, samples: samples, into: result)
        }
        result.evidence.append("no bytes within 500 ms of connecting: the client must speak first")
        func ask(_ text: String) -> String? {
            let outcome = ScriptedExchange.run([.send(Array((text + "\n").utf8))], readResponse: true, target: target, timing: timing)
            guard outcome.connected, !outcome.response.isEmpty else { return nil }
            var payload = outcome.response
            if payload.last == 0x0A { payload.removeLast() }
            if payload.last == 0x0D { payload.removeLast() }
            result.evidence.append("sent \(ByteEscaping.escape(Array((text + "\n").utf8))), got \(ByteEscaping.escape(outcome.response))")
            return String(decoding: payload, as: UTF8.self)
        }
        guard let a = ask("21") else {
            result.evidence.append("no answer to a request either: not a RandWire server, or it answered nothing")
            return result
        }
        if a == "42", ask("50") == "100" {
            result.profile = .double
            result.parameters = ProfileParameters(profile: .double)
            result.evidence.append("answers are twice the request: double")
            if let error = ask("4.5"), error != "9" {
                result.evidence.append("a float gets \(ByteEscaping.escape(Array(error.utf8))): the error token")
                result.parameters?.tokens.error = error
            }
            result.suggestedCommand = command(target, .double, result.parameters)
            return result
        }
        if Int(a) == nil {
            guard let even = ask("42") else { return result }
            var parameters = ProfileParameters(profile: .parity)
            parameters.tokens.odd = a
            parameters.tokens.even = even
            if let long = ask("12345678901"), long != a, long != even {
                if long.utf8.count == 11 && long != "too-long" {
                    parameters.tooLongMode = .sameLength
                    result.evidence.append("11 digits get an 11-byte string: same-length mode")
                } else {
                    parameters.tokens.tooLong = long
                }
            }
            result.profile = .parity
            result.parameters = parameters
            result.evidence.append("21 and 42 get two different words: parity (odd \(ByteEscaping.escape(Array(a.utf8))), even \(ByteEscaping.escape(Array(even.utf8))))")
            result.suggestedCommand = command(target, .parity, parameters)
            return result
        }
        result.evidence.append("a number that does not depend on the request: request")
        return sampleRange(profile: .request, count: 1, steps: Profile.request.seedRequestLine.map { [.send($0)] } ?? [], target: target, timing: timing, samples: samples, into: result)
    }

    static func sampleRange(profile: Profile, count: Int, steps: [Fixture.Step], target: Endpoint, timing: ExchangeTiming, samples: Int, into partial: ProbeResult) -> ProbeResult {
        var result = partial
        let perWorker = (samples + 7) / 8
        let values = FanOut.map(8, width: 8, name: "randwire-probe") { _ -> [Int] in
            var numbers: [Int] = []
            for _ in 0..<perWorker {
                let outcome = ScriptedExchange.run(steps, readResponse: true, target: target, timing: timing)
                guard outcome.connected else { break }
                let fields = outcome.response.split(separator: UInt8(ascii: ","))
                numbers += fields.compactMap { Int(String(decoding: $0, as: UTF8.self).trimmingWhitespace()) }
            }
            return numbers
        }.flatMap { $0 }
        result.profile = profile
        guard let low = values.min(), let high = values.max() else {
            result.evidence.append("no parsable numbers in the sample")
            return result
        }
        result.evidence.append("\(values.count) values sampled: smallest \(low), largest \(high)")
        var parameters = ProfileParameters(profile: profile)
        parameters.min = low
        parameters.max = high
        if profile == .csv { parameters.count = count }
        if profile.defaultParameters.min == low && profile.defaultParameters.max == high && (profile != .csv || count == profile.defaultParameters.count) {
            result.evidence.append("matches the spec's defaults for \(profile)")
        } else {
            result.evidence.append("the range is a guess from the sample: the true bounds may be wider")
        }
        result.parameters = parameters
        result.suggestedCommand = command(target, profile, parameters)
        return result
    }

    static func command(_ target: Endpoint, _ profile: Profile, _ parameters: ProfileParameters?) -> String {
        var parts = ["randwire", "check", "--profile", profile.rawValue, target.description]
        guard let parameters else { return parts.joined(separator: " ") }
        let defaults = profile.defaultParameters
        if profile.isRandom && (parameters.min != defaults.min || parameters.max != defaults.max) {
            parts += ["--min", String(parameters.min), "--max", String(parameters.max)]
        }
        if profile == .csv && parameters.count != defaults.count { parts += ["--count", String(parameters.count)] }
        if parameters.tokens != .canonical { parts += ["--tokens", "'\(parameters.tokens.argument)'"] }
        if parameters.tooLongMode != .token { parts += ["--too-long", parameters.tooLongMode.rawValue] }
        return parts.joined(separator: " ")
    }
}

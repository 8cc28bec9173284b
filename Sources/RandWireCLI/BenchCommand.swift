#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireArguments
import RandWireBench
import RandWireProtocol
import RandWireReports
import RandWireSocket

/// `randwire bench`: closed-loop load against any RandWire server, every answer validated.
/// Exit 0 normally, 1 if any answer was invalid, 69 if the target refused every connection.
enum BenchCommand {
    static func run(_ arguments: ParsedArguments, io: CommandIO) throws -> Int32 {
        let configuration = try configuration(arguments)
        let json = arguments.flag("--json")
        let live = io.stderrIsTerminal
        var progress: (@Sendable (BenchProgress) -> Void)?
        if live {
            let err = io.err
            progress = { @Sendable snapshot in err(progressLine(snapshot)) }
        }
        let result: BenchResult
        do {
            result = try LoadGenerator.run(configuration, progress: progress)
        } catch {
            throw CommandFailure("cannot load \(configuration.target): \(error.description)", exitCode: ExitCode.unavailable)
        }
        if live { io.err("\r\u{1B}[K") }
        io.out(json ? jsonText(result) : humanText(result))
        if result.everyConnectionRefused {
            if !json { io.err("Error: \(configuration.target) refused every connection — is the server running? Check the host and port.\n") }
            return ExitCode.unavailable
        }
        return result.errors(.invalid) > 0 ? ExitCode.failure : ExitCode.success
    }

    static func configuration(_ arguments: ParsedArguments) throws -> BenchConfiguration {
        guard let profile = try ProfileArguments.profile(arguments) else { throw UsageError("Missing expected option '--profile <profile>'") }
        let parameters = try ProfileArguments.parameters(arguments, profile: profile)
        let target = try TargetArguments.endpoint(arguments)
        let requestText = arguments.value("--request")
        if requestText != nil && !profile.clientSendsRequest {
            throw UsageError("--request applies to the request, parity and double profiles: a \(profile) client sends nothing (BARE-2)")
        }
        var request = profile.seedRequestLine
        if let requestText {
            // Ended with LF (FRAME-6) so no server has to wait out its quiet time.
            request = Array(requestText.utf8)
            if request?.last != 0x0A { request?.append(0x0A) }
        }
        let connections = try arguments.int("--connections", in: 1...65_536) ?? 64
        let duration = try ProfileArguments.seconds(arguments, "--duration", in: 0.1...3600) ?? .seconds(5)
        let threads = try arguments.int("--threads", in: 1...256) ?? LoadGenerator.defaultThreads(connections: connections)
        return BenchConfiguration(
            target: target, parameters: parameters, connections: connections, duration: duration, request: request,
            threads: threads)
    }

    static func progressLine(_ progress: BenchProgress) -> String {
        let rate = grouped(Int(progress.recentExchangesPerSecond.rounded()))
        return "\r\u{1B}[K  \(Int(progress.elapsedSeconds.rounded())) s  \(grouped(progress.exchanges)) exchanges  \(rate)/s  \(grouped(progress.errors)) errors"
    }

    static func humanText(_ result: BenchResult) -> String {
        var lines: [String] = []
        lines.append("randwire bench: \(result.profile) on \(result.target), \(result.connections) connections, \(result.threads) threads, \(seconds(result.durationSeconds))")
        lines.append("exchanges   \(grouped(result.exchanges)) completed and valid (\(grouped(Int(result.exchangesPerSecond.rounded())))/s)")
        if result.completedInGrace > 0 || result.unfinished > 0 {
            lines.append("            \(grouped(result.completedInGrace)) more finished after the deadline, \(grouped(result.unfinished)) abandoned")
        }
        let errors = BenchErrorKind.allCases.compactMap { kind -> String? in
            let count = result.errors(kind)
            return count == 0 ? nil : "\(kind.rawValue)=\(grouped(count))"
        }
        lines.append("errors      " + (errors.isEmpty ? "none" : errors.joined(separator: " ")))
        for example in result.invalidExamples { lines.append("  invalid: \(example)") }
        let l = result.latency
        if l.samples == 0 {
            lines.append("latency     no exchange completed")
        } else {
            lines.append("latency     p50 \(ms(l.p50Ms))  p90 \(ms(l.p90Ms))  p99 \(ms(l.p99Ms))  p99.9 \(ms(l.p999Ms))  max \(ms(l.maxMs))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func jsonText(_ result: BenchResult) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(result)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    static func ms(_ value: Double) -> String {
        value >= 100 ? "\(Int(value.rounded())) ms" : NumberText.fixed(value, places: value >= 10 ? 1 : 2) + " ms"
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : NumberText.fixed(value, places: 1) + " s"
    }
}

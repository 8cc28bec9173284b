#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RandWireArguments
import RandWireClient
import RandWireConformance
import RandWireProtocol
import RandWireSocket

/// `randwire get`: the reference client, one exchange per repetition.
enum GetCommand {
    static func run(_ arguments: ParsedArguments, io: CommandIO) throws -> Int32 {
        guard let profile = try ProfileArguments.profile(arguments) else { return ExitCode.usage }
        let parameters = try ProfileArguments.parameters(arguments, profile: profile)
        let endpoints = try TargetArguments.endpoints(arguments)
        let requestText = arguments.value("--request")
        if requestText != nil && !profile.clientSendsRequest {
            throw UsageError("--request applies to the request, parity and double profiles: a \(profile) client sends nothing (BARE-2)")
        }
        let request = profile.clientSendsRequest ? Array((requestText ?? profile.seedRequest!).utf8) : nil
        let repeats = try arguments.int("--repeat", in: 1...1_000_000) ?? 1
        var options = ClientOptions()
        if let timeout = try ProfileArguments.seconds(arguments, "--timeout") {
            options.exchangeTimeout = timeout
            options.connectTimeout = min(options.connectTimeout, timeout)
        }
        if let terminator = try arguments.choice("--terminator", as: RequestTerminator.self) { options.requestTerminator = terminator }
        options.strict = arguments.flag("--strict")
        let json = arguments.flag("--json")
        let client = ReferenceClient(parameters: parameters, options: options)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<repeats {
            do {
                let result = try client.exchange(withAnyOf: endpoints, request: request, using: &generator)
                io.out(json ? jsonLine(result) : plainLine(result))
                if !json, let note = endingNote(result) { io.err(note) }
            } catch {
                switch error {
                case .unreachable:
                    throw CommandFailure(error.description + " — is the server running? Check the host and port.", exitCode: ExitCode.unavailable)
                case let .malformed(result):
                    if json { io.out(jsonLine(result)) }
                    throw CommandFailure(error.description)
                case .failed:
                    throw CommandFailure(error.description)
                }
            }
        }
        return ExitCode.success
    }

    /// How the response ended when the server did not close it properly: CLIENT-1 asks a client
    /// to report a reset with what it received, CLIENT-2 to report a server that did not close.
    static func endingNote(_ result: ExchangeResult) -> String? {
        switch result.endedBy {
        case .reset: "note: the server reset the connection after \(result.response.count) octets; the answer is what arrived before the reset (CLIENT-1)\n"
        case .quiet: "note: the server did not close the connection; the response ended after 200 ms of quiet (CLIENT-2, CORE-3)\n"
        default: nil
        }
    }

    static func plainLine(_ result: ExchangeResult) -> String {
        switch result.judgement.value {
        case let .numbers(numbers)?: return numbers.map(String.init).joined(separator: ",") + "\n"
        case let .text(text)?: return text + "\n"
        case .nothing?, nil: return "\n"
        }
    }

    static func jsonLine(_ result: ExchangeResult) -> String {
        var object: [String: JSONValue] = [
            "endpoint": .string(result.endpoint.description),
            "response": .string(String(decoding: result.response, as: UTF8.self)),
            "responseEscaped": .string(ByteEscaping.escape(result.response)),
            "endedBy": .string(result.endedBy.rawValue),
            "serverClosed": .bool(result.endedBy == .eof),
            "elapsedMs": .number(result.elapsed.inMilliseconds),
            "ok": .bool(result.judgement.isAcceptable),
            "findings": .array(result.judgement.findings.map {
                .object(["requirement": .string($0.requirement), "level": .string($0.level.rawValue), "message": .string($0.message)])
            }),
        ]
        if let port = result.localPort { object["localPort"] = .integer(Int(port)) }
        if let request = result.request { object["request"] = .string(String(decoding: request, as: UTF8.self)) }
        switch result.judgement.value {
        case let .numbers(numbers)?:
            object["value"] = numbers.count == 1 && result.judgement.raw.firstIndex(of: UInt8(ascii: ",")) == nil
                ? .integer(numbers[0]) : .array(numbers.map { .integer($0) })
        case let .text(text)?: object["value"] = .string(text)
        default: object["value"] = .null
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(object)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

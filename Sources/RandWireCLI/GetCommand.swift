import Foundation
import RandWireArguments
import RandWireClient
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

    static func plainLine(_ result: ExchangeResult) -> String {
        switch result.judgement.value {
        case let .numbers(numbers)?: return numbers.map(String.init).joined(separator: ",") + "\n"
        case let .text(text)?: return text + "\n"
        case .nothing?, nil: return "\n"
        }
    }

    static func jsonLine(_ result: ExchangeResult) -> String {
        var object: [String: Any] = [
            "endpoint": result.endpoint.description,
            "response": String(decoding: result.response, as: UTF8.self),
            "responseEscaped": ByteEscaping.escape(result.response),
            "endedBy": result.endedBy.rawValue,
            "serverClosed": result.endedBy == .eof,
            "elapsedMs": result.elapsed.inMilliseconds,
            "ok": result.judgement.isAcceptable,
            "findings": result.judgement.findings.map { ["requirement": $0.requirement, "level": $0.level.rawValue, "message": $0.message] },
        ]
        if let port = result.localPort { object["localPort"] = Int(port) }
        if let request = result.request { object["request"] = String(decoding: request, as: UTF8.self) }
        switch result.judgement.value {
        case let .numbers(numbers)?: object["value"] = numbers.count == 1 && result.judgement.raw.firstIndex(of: UInt8(ascii: ",")) == nil ? numbers[0] as Any : numbers as Any
        case let .text(text)?: object["value"] = text
        default: object["value"] = NSNull()
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

import RandWireProtocol
import RandWireSocket

/// The reference client: one exchange per connection, every step under a deadline, the
/// response capped at 1024 bytes and judged against the profile.
package struct ReferenceClient: Sendable {
    package let parameters: ProfileParameters
    package let options: ClientOptions

    package init(parameters: ProfileParameters, options: ClientOptions = ClientOptions()) {
        self.parameters = parameters
        self.options = options
    }

    /// One exchange with one endpoint. Blocking: call it from a thread, or use the async
    /// variant. `request` is the content without terminator (the option adds LF or half-closes);
    /// it is ignored for bare and csv, and nil means an empty request for the others.
    package func exchange(with endpoint: Endpoint, request: [UInt8]?) throws(ClientError) -> ExchangeResult {
        let start = Deadline.now
        let exchangeDeadline = start.adding(options.exchangeTimeout)
        let connection: Connection
        do {
            connection = try Connection.connect(to: endpoint, deadline: min(start.adding(options.connectTimeout), exchangeDeadline))
        } catch {
            throw .unreachable([endpoint: error])
        }
        defer { connection.close() }

        let sendsRequest = parameters.profile.clientSendsRequest
        var sendFailure: SocketError?
        if sendsRequest {
            var bytes = request ?? []
            if options.requestTerminator == .lineFeed { bytes.append(0x0A) }
            do {
                if !bytes.isEmpty { try connection.send(bytes, deadline: exchangeDeadline) }
                if options.requestTerminator == .halfClose { connection.shutdownWrite() }
            } catch {
                // A server may answer an over-long request and close before taking all of it:
                // the answer can still be waiting, so read before giving up.
                sendFailure = error
            }
        }

        var response: [UInt8] = []
        var end = ResponseEnd.eof
        reading: while true {
            let quietDeadline = response.isEmpty ? exchangeDeadline : min(exchangeDeadline, Deadline.now.adding(options.responseQuiet))
            switch connection.read(maxBytes: Limits.maxResponseBytes + 1 - response.count, deadline: quietDeadline) {
            case let .data(bytes):
                response += bytes
                if response.count > Limits.maxResponseBytes {
                    end = .cap
                    break reading
                }
            case .eof:
                end = .eof
                break reading
            case .timeout:
                if response.isEmpty { throw .failed(endpoint, sendFailure ?? SocketError.timeout("recv")) }
                end = quietDeadline < exchangeDeadline ? .quiet : .timeout
                break reading
            case .reset:
                if response.isEmpty {
                    throw .failed(endpoint, sendFailure ?? SocketError(kind: .reset, operation: "recv", errno: 104, message: "Connection reset by peer"))
                }
                end = .reset
                break reading
            case let .failed(error):
                if response.isEmpty { throw .failed(endpoint, sendFailure ?? error) }
                end = .reset
                break reading
            }
        }

        let judged = sendsRequest ? Self.requestAsServerSees(request ?? [], terminator: options.requestTerminator) : nil
        let judgement = ResponseJudge.judge(response, request: judged, parameters: parameters)
        let result = ExchangeResult(
            endpoint: endpoint, localPort: connection.localAddress?.port, request: sendsRequest ? (request ?? []) : nil,
            response: response, endedBy: end, judgement: judgement, elapsed: Deadline.now - start)
        if !judgement.isAcceptable || (options.strict && !judgement.isStrictlyClean) {
            throw .malformed(result)
        }
        return result
    }

    /// Picks an endpoint at random and fails over to the others, in random order, while they
    /// refuse or time out connecting (DOUBLE-4). Other failures are not retried.
    package func exchange(
        withAnyOf endpoints: [Endpoint], request: [UInt8]?, using generator: inout some RandomNumberGenerator
    ) throws(ClientError) -> ExchangeResult {
        var failures: [Endpoint: SocketError] = [:]
        for endpoint in endpoints.shuffled(using: &generator) {
            do {
                return try exchange(with: endpoint, request: request)
            } catch {
                guard case let .unreachable(errors) = error else { throw error }
                failures.merge(errors) { first, _ in first }
            }
        }
        throw .unreachable(failures)
    }

    /// The async form: runs on a `BlockingPool` thread, never blocking the concurrency pool.
    package func exchange(withAnyOf endpoints: [Endpoint], request: [UInt8]?) async throws(ClientError) -> ExchangeResult {
        let client = self
        let result: Result<ExchangeResult, ClientError> = await BlockingPool.perform {
            // Not captured by a closure: an empty generator captured and passed inout through a
            // generic crashes ThreadSanitizer (swiftlang/swift#66099).
            var generator = SystemRandomNumberGenerator()
            do throws(ClientError) {
                return .success(try client.exchange(withAnyOf: endpoints, request: request, using: &generator))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The request as a conformant server frames it (section 5): cut at the first LF, capped,
    /// ended by half-close, or by the quiet time when unterminated. nil for an empty half-close.
    static func requestAsServerSees(_ content: [UInt8], terminator: RequestTerminator) -> Request? {
        var accumulator = RequestAccumulator()
        var state = accumulator.append(content)
        if terminator == .lineFeed { state = accumulator.append(CollectionOfOne(0x0A)) }
        if case .incomplete = state {
            state = terminator == .none ? accumulator.finishAtQuiet() : accumulator.finishAtEOF()
        }
        switch state {
        case let .complete(request): return request
        case .emptyAtEOF, .incomplete: return nil
        }
    }
}

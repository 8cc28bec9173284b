import Foundation
import RandWireProtocol
import RandWireSocket
import Synchronization

/// Deliberate deviations from the spec, one per check: the runner's own test oracle.
package struct Faults: Sendable {
    /// CORE-3: keep the connection open after answering (seeds 001 and 003).
    package var neverClose = false
    /// CORE-9: stop accepting after this many connections (seed 001 serves one).
    package var stopAfterConnections: Int?
    /// CORE-6: bytes appended to every response, e.g. "\n".
    package var trailer: [UInt8] = []
    /// CORE-5: write the response in two parts, 100 ms apart.
    package var splitWrite = false
    /// ROBUST-2: serve one connection at a time (every seed).
    package var serial = false
    /// FRAME-3: wait for LF or EOF, never end a request on quiet time.
    package var waitForLineFeed = false
    /// FRAME-4: answer whatever the first read returned.
    package var answerFirstRead = false
    /// FRAME-5: send these bytes on accept, before any request.
    package var banner: [UInt8]?
    /// LIMIT-2: never close a silent connection (the default closes it after 2 s).
    package var noConnectionDeadline = false
    /// ROBUST-1: stop serving (close the listener) when a request matches.
    package var dieOn: (@Sendable (Request?) -> Bool)?
    /// ROBUST-1: stop serving when a client resets before its request is complete.
    package var dieOnReset = false
    /// Replaces the spec's answer: wrong ranges, biased generators, sorted batches...
    package var respond: (@Sendable (Request?, ProfileParameters) -> [UInt8]?)?
    /// The listen backlog: seed 002 uses 1, so parallel connects time out while it is busy.
    package var backlog: Int32 = 1024
    /// FRAME-3: how long a started request may go quiet before it ends (the spec allows 20-200 ms).
    package var quietTime: Duration = .milliseconds(Limits.requestQuietMilliseconds)

    package init() {}
}

/// A small thread-per-connection RandWire server whose faults are chosen by the test. With no
/// faults it is a second, independent correct implementation (the runner must pass it).
package final class FaultyServer: Sendable {
    package let endpoint: Endpoint
    let listener: Listener
    let parameters: ProfileParameters
    let faults: Faults
    let accepted = Atomic<Int>(0)
    let stopped = Atomic<Bool>(false)
    let done = DispatchSemaphore(value: 0)

    package static func start(_ parameters: ProfileParameters, faults: Faults = Faults()) throws -> FaultyServer {
        let listener = try Listener.bind(host: "127.0.0.1", port: 0, backlog: faults.backlog)
        let server = FaultyServer(listener: listener, parameters: parameters, faults: faults)
        let thread = Thread { server.acceptLoop() }
        thread.start()
        return server
    }

    init(listener: Listener, parameters: ProfileParameters, faults: Faults) {
        self.listener = listener
        self.parameters = parameters
        self.faults = faults
        self.endpoint = Endpoint(host: "127.0.0.1", port: listener.address.port)
    }

    package func stop() {
        if !stopped.exchange(true, ordering: .relaxed) {
            listener.close()
            done.wait()
        }
    }

    deinit { stop() }

    var isStopped: Bool { stopped.load(ordering: .relaxed) }

    func acceptLoop() {
        defer { done.signal() }
        while !isStopped {
            guard let connection = try? listener.accept(deadline: .after(.milliseconds(200))) else {
                if isStopped { return }
                continue
            }
            let count = accepted.wrappingAdd(1, ordering: .relaxed).newValue
            if faults.serial {
                // Like every seed: the accept loop itself serves, so the next client waits.
                serve(connection)
            } else {
                let handler = Thread { [self] in serve(connection) }
                handler.start()
            }
            if let limit = faults.stopAfterConnections, count >= limit {
                listener.close()
                return
            }
        }
    }

    func answer(_ request: Request?) -> [UInt8]? {
        if let respond = faults.respond { return respond(request, parameters) }
        var generator = SystemRandomNumberGenerator()
        return ResponseEncoder.response(for: request, parameters: parameters, using: &generator)
    }

    func write(_ response: [UInt8], on connection: Connection) {
        let bytes = response + faults.trailer
        if faults.splitWrite && bytes.count > 1 {
            try? connection.send(Array(bytes.prefix(1)), deadline: .after(.seconds(1)))
            Thread.sleep(forTimeInterval: 0.1)
            try? connection.send(Array(bytes.dropFirst()), deadline: .after(.seconds(1)))
        } else {
            try? connection.send(bytes, deadline: .after(.seconds(1)))
        }
    }

    func finish(_ connection: Connection) {
        if faults.neverClose {
            // Like seeds 001/003: the connection stays open until the client leaves.
            let until = Deadline.after(.seconds(5))
            while case .data = connection.read(maxBytes: 4096, deadline: until) {}
        }
        connection.close()
    }

    func serve(_ connection: Connection) {
        if let banner = faults.banner { try? connection.send(banner, deadline: .after(.seconds(1))) }
        guard parameters.profile.clientSendsRequest else {
            if let response = answer(nil) { write(response, on: connection) }
            finish(connection)
            return
        }
        let connectionDeadline = faults.noConnectionDeadline ? Deadline.after(.seconds(30)) : Deadline.after(.seconds(2))
        var accumulator = RequestAccumulator()
        let quiet = faults.quietTime
        reading: while case .incomplete = accumulator.state {
            let waitUntil = accumulator.hasBytes && !faults.waitForLineFeed ? min(connectionDeadline, .after(quiet)) : connectionDeadline
            switch connection.read(maxBytes: max(1, accumulator.readBudget), deadline: waitUntil) {
            case let .data(bytes):
                accumulator.append(bytes)
                if faults.answerFirstRead { accumulator.finishAtQuiet() }
            case .eof:
                accumulator.finishAtEOF()
            case .timeout:
                if connectionDeadline.hasPassed { break reading }
                accumulator.finishAtQuiet()
            case .reset, .failed:
                if faults.dieOnReset {
                    stopped.store(true, ordering: .relaxed)
                    listener.close()
                }
                break reading
            }
        }
        var request: Request?
        switch accumulator.state {
        case let .complete(complete): request = complete
        case .emptyAtEOF: request = nil
        case .incomplete:
            connection.close()
            return
        }
        if let dieOn = faults.dieOn, dieOn(request) {
            stopped.store(true, ordering: .relaxed)
            listener.close()
            connection.abort()
            return
        }
        if let response = answer(request) { write(response, on: connection) }
        finish(connection)
    }
}

/// Answers that are right but wrapped in something else, for the attribution tests.
package enum WrappedAnswers {
    /// The spec's answer, then `transform(request, answer)`.
    package static func wrapping(_ transform: @escaping @Sendable (Request?, [UInt8]) -> [UInt8]) -> @Sendable (Request?, ProfileParameters) -> [UInt8]? {
        { request, parameters in
            var generator = SystemRandomNumberGenerator()
            guard let answer = ResponseEncoder.response(for: request, parameters: parameters, using: &generator) else { return nil }
            return transform(request, answer)
        }
    }
}

/// Generators for the randomness faults: each breaks one property the checks test.
package enum BiasedAnswers {
    /// One number per answer, drawn by `draw`.
    package static func number(_ draw: @escaping @Sendable (ProfileParameters) -> Int) -> @Sendable (Request?, ProfileParameters) -> [UInt8]? {
        { request, parameters in
            if parameters.profile == .request && request == nil { return nil }
            var out: [UInt8] = []
            ResponseEncoder.appendNumber(draw(parameters), to: &out)
            return out
        }
    }

    /// A csv batch built by `batch`.
    package static func batch(_ make: @escaping @Sendable (ProfileParameters) -> [Int]) -> @Sendable (Request?, ProfileParameters) -> [UInt8]? {
        { _, parameters in
            var out: [UInt8] = []
            for (index, value) in make(parameters).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                ResponseEncoder.appendNumber(value, to: &out)
            }
            return out
        }
    }

    /// `srand(time(0))` per connection: the same value for every connection in one time slice.
    package static func clockSeeded(sliceMilliseconds: Int = 1000) -> @Sendable (Request?, ProfileParameters) -> [UInt8]? {
        number { parameters in
            var seed = UInt64(Date().timeIntervalSince1970 * 1000) / UInt64(sliceMilliseconds)
            seed = seed &* 0x9E37_79B9_7F4A_7C15
            seed ^= seed >> 29
            return parameters.min + Int(seed % parameters.rangeSize)
        }
    }
}

import RandWireProtocol
import RandWireSocket

/// A closed-loop load client for any RandWire server, as fast as the C loadgen: connection slots
/// spread over a few threads, each with its own epoll loop. Every answer is validated; a wrong
/// one is counted as `invalid`, never ignored. Bounded: returns by `duration + grace` (plus
/// thread start/stop) whatever the server does.
package enum LoadGenerator {
    /// Load threads when none are asked for: 4 measured about 10 % faster than 2 on 2 cores
    /// (more epoll loops keep more handshakes in flight), capped by the connections.
    package static func defaultThreads(connections: Int) -> Int {
        max(1, min(connections, 4))
    }

    /// Runs the load synchronously on dedicated threads (never on Swift-concurrency threads:
    /// call it from a plain thread or through `BlockingPool`). `progress` is called about once a
    /// second on the calling thread. Throws only when the target cannot be resolved or the
    /// threads cannot be started.
    package static func run(
        _ configuration: BenchConfiguration, progress: (@Sendable (BenchProgress) -> Void)? = nil
    ) throws(SocketError) -> BenchResult {
        let addresses = try Resolver.resolve(host: configuration.target.host, port: configuration.target.port)
        let address = addresses[0]
        guard EventPoller.isSupported else {
            throw SocketError(kind: .other, operation: "bench", errno: Errno.notImplemented.rawValue, message: "the load generator needs epoll (Linux)")
        }
        FileDescriptors.raiseLimitToHard()
        let connections = max(1, configuration.connections)
        let threadCount = max(1, min(configuration.threads, connections))
        let validator = AnswerValidator(parameters: configuration.parameters, request: configuration.request)
        let start = Deadline.monotonicNanoseconds()
        let durationNs = max(1, Deadline.nanoseconds(of: configuration.duration))
        let deadline = start &+ durationNs
        let clock = RunClock(
            start: start, deadline: deadline, hardStop: deadline &+ max(0, Deadline.nanoseconds(of: configuration.grace)),
            exchangeTimeout: max(1_000_000, Deadline.nanoseconds(of: configuration.exchangeTimeout)))
        var workers: [LoadWorker] = []
        for index in 0..<threadCount {
            let share = connections / threadCount + (index < connections % threadCount ? 1 : 0)
            workers.append(
                try LoadWorker(
                    slots: share, address: address, request: configuration.request, validator: validator,
                    linger0: !configuration.gracefulClose, clock: clock))
        }
        var threads: [NativeThread] = []
        for (index, worker) in workers.enumerated() {
            guard let thread = NativeThread.spawn(name: "randwire-bench\(index)", stackSize: 1 << 20, { worker.run() }) else {
                // The started workers stop by themselves at the hard stop.
                for thread in threads { thread.join() }
                throw SocketError(operation: "pthread_create", Errno.wouldBlock)
            }
            threads.append(thread)
        }
        if let progress { report(progress, workers: workers, clock: clock) }
        for thread in threads { thread.join() }
        return merge(workers, configuration: configuration, threads: threadCount, connections: connections)
    }

    /// Calls `progress` once a second until the deadline.
    private static func report(_ progress: @Sendable (BenchProgress) -> Void, workers: [LoadWorker], clock: RunClock) {
        var previous = 0
        var previousAt = clock.start
        var next = clock.start + 1_000_000_000
        while next <= clock.deadline {
            Platform.sleep(untilMonotonic: next)
            let now = Deadline.monotonicNanoseconds()
            let done = workers.reduce(0) { $0 + $1.publishedDone.load(ordering: .relaxed) }
            let errors = workers.reduce(0) { $0 + $1.publishedErrors.load(ordering: .relaxed) }
            let seconds = Double(now - previousAt) / 1e9
            progress(
                BenchProgress(
                    elapsedSeconds: Double(now - clock.start) / 1e9, exchanges: done,
                    recentExchangesPerSecond: seconds > 0 ? Double(done - previous) / seconds : 0, errors: errors))
            previous = done
            previousAt = now
            next += 1_000_000_000
        }
    }


    private static func merge(_ workers: [LoadWorker], configuration: BenchConfiguration, threads: Int, connections: Int) -> BenchResult {
        var histogram = LatencyHistogram()
        var errorCounts = [Int](repeating: 0, count: BenchErrorKind.allCases.count)
        var done = 0
        var late = 0
        var unfinished = 0
        var examples: [String] = []
        for worker in workers {
            histogram.merge(worker.histogram)
            for index in errorCounts.indices { errorCounts[index] += worker.errors[index] }
            done += worker.done
            late += worker.late
            unfinished += worker.unfinished
            for example in worker.invalidExamples where examples.count < LoadWorker.maxInvalidExamples {
                examples.append(example)
            }
        }
        var errors: [String: Int] = [:]
        for (index, kind) in BenchErrorKind.allCases.enumerated() { errors[kind.rawValue] = errorCounts[index] }
        let seconds = Double(Deadline.nanoseconds(of: configuration.duration)) / 1e9
        return BenchResult(
            target: configuration.target.description, profile: configuration.parameters.profile.rawValue,
            connections: connections, threads: threads, exchanges: done,
            exchangesPerSecond: seconds > 0 ? Double(done) / seconds : 0, errors: errors, invalidExamples: examples,
            latency: histogram.summary, durationSeconds: seconds, completedInGrace: late, unfinished: unfinished)
    }

}

/// Runs blocking socket work on dedicated threads, never on the Swift concurrency pool, and
/// resumes the awaiting task with the result. Threads are created lazily up to `maximumThreads`,
/// reused, and kept; work beyond that waits in a FIFO queue. Cancellation does not interrupt a
/// running body: bound it with deadlines instead.
package enum BlockingPool {
    /// The most threads the pool will run at once.
    package static let maximumThreads = 128

    /// Runs a body whose failure is part of its result, so typed errors survive the hop.
    package static func perform<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            WorkerPool.shared.submit { continuation.resume(returning: body()) }
        }
    }

    /// Starts `job` on a pool thread without waiting for it.
    package static func submit(_ job: @escaping @Sendable () -> Void) {
        WorkerPool.shared.submit(job)
    }
}

// @unchecked: its queue and counts are guarded by `lock`, a condition lock Mutex cannot replace.
private final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool(limit: BlockingPool.maximumThreads)

    private let lock = ConditionLock()
    private let limit: Int
    // Guarded by `lock`.
    private var queue: [@Sendable () -> Void] = []
    private var head = 0
    private var threads = 0
    private var idle = 0
    private var wakeTokens = 0

    private init(limit: Int) { self.limit = limit }

    func submit(_ job: @escaping @Sendable () -> Void) {
        lock.lock()
        queue.append(job)
        if idle > 0 {
            // Claim one sleeping worker; the token tells it the wake-up is real.
            idle -= 1
            wakeTokens += 1
            lock.signal()
            lock.unlock()
            return
        }
        guard threads < limit else {
            lock.unlock()
            return
        }
        threads += 1
        lock.unlock()
        if let thread = NativeThread.spawn(name: "randwire-pool", stackSize: 1 << 20, { [self] in work() }) {
            thread.detach()
            return
        }
        // The system refused a thread: a running worker will take the job, or, with none, run it here.
        let none = lock.withLock {
            threads -= 1
            return threads == 0
        }
        if none, let job = take() { job() }
    }

    private func take() -> (@Sendable () -> Void)? {
        lock.withLock {
            guard head < queue.count else { return nil }
            let job = queue[head]
            head += 1
            compact()
            return job
        }
    }

    /// Drops consumed slots once they dominate, so the queue does not grow forever. Lock held.
    private func compact() {
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
    }

    private func work() {
        lock.lock()
        while true {
            if head < queue.count {
                let job = queue[head]
                head += 1
                compact()
                lock.unlock()
                job()
                lock.lock()
                continue
            }
            idle += 1
            while wakeTokens == 0 { lock.wait() }
            wakeTokens -= 1
        }
    }
}

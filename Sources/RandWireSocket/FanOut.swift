import Dispatch
import Synchronization

/// The one way this package spreads blocking work over threads: dedicated OS threads
/// (`NativeThread`), never the Swift concurrency pool, which blocking calls would starve.
package enum FanOut {
    /// Runs `body(0) ..< body(count - 1)` on up to `width` threads and returns the results in
    /// index order. Blocks the caller until every call has returned. When no thread can be had,
    /// the caller does the work itself, one index at a time.
    package static func map<T: Sendable>(_ count: Int, width: Int, name: String, stackSize: Int = 1 << 20,
                                         _ body: @escaping @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let next = Atomic<Int>(0)
        let results = Mutex<[T?]>(Array(repeating: nil, count: count))
        let work: @Sendable () -> Void = {
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                let value = body(index)
                results.withLock { $0[index] = value }
            }
        }
        let threads = (0..<max(1, min(width, count))).compactMap { _ in NativeThread.spawn(name: name, stackSize: stackSize, work) }
        if threads.isEmpty { work() }
        threads.forEach { $0.join() }
        return results.withLock { $0.map { $0! } }
    }

    /// Starts `body` on its own thread; `value()` waits for its result.
    package static func start<T: Sendable>(name: String, stackSize: Int = 1 << 20, _ body: @escaping @Sendable () -> T) -> Pending<T> {
        let pending = Pending<T>()
        let run: @Sendable () -> Void = { pending.fulfil(body()) }
        if let thread = NativeThread.spawn(name: name, stackSize: stackSize, run) {
            thread.detach()
        } else {
            run()
        }
        return pending
    }

    /// The result of work started with `start`, once it is there.
    package final class Pending<T: Sendable>: Sendable {
        private let state = Mutex<T?>(nil)
        private let done = DispatchSemaphore(value: 0)

        fileprivate init() {}

        fileprivate func fulfil(_ value: T) {
            state.withLock { $0 = value }
            done.signal()
        }

        /// Blocks until the result is there.
        package func value() -> T {
            done.wait()
            done.signal()  // for the next caller
            return state.withLock { $0! }
        }
    }
}

/// A dedicated OS thread (pthread) for blocking work and event loops: never a Swift
/// concurrency thread, which must not block (2 cores here would starve the whole process).
// @unchecked: `joined` is touched only by the one thread that joins or detaches (documented contract).
package final class NativeThread: @unchecked Sendable {
    private let handle: Platform.ThreadHandle
    private var joined = false

    private init(handle: Platform.ThreadHandle) { self.handle = handle }

    /// Starts `body` on a new joinable thread; nil if the system refused (EAGAIN).
    package static func spawn(name: String, stackSize: Int = 512 * 1024, _ body: @escaping @Sendable () -> Void) -> NativeThread? {
        guard let handle = Platform.startThread(stackSize: stackSize, {
            Platform.nameCurrentThread(name)
            body()
        }) else { return nil }
        return NativeThread(handle: handle)
    }

    /// Waits for the thread to finish. Call once, from one thread.
    package func join() {
        guard !joined else { return }
        joined = true
        Platform.joinThread(handle)
    }

    /// Lets the thread finish on its own.
    package func detach() {
        guard !joined else { return }
        joined = true
        Platform.detachThread(handle)
    }
}

import RandWireProtocol
import RandWireSocket
import Synchronization

/// The reference server: `threads` epoll loops on dedicated threads serving one profile.
/// bare/csv answer at accept and close; request/parity/double read one request (LF, half-close,
/// quiet time or cap), answer and close. Connections past `connectionTimeout` are closed.
package final class ReferenceServer: Sendable {
    /// The bound address, with the real port.
    package let address: SocketAddress
    private let loops: [EventLoop]
    private let threads: Mutex<[NativeThread]>
    /// The one listener of `.shared` mode, closed only once every loop has stopped using it
    /// (a loop still running could otherwise accept on a reused fd number).
    private let sharedListener: Int32?

    private init(address: SocketAddress, loops: [EventLoop], threads: [NativeThread], sharedListener: Int32?) {
        self.address = address
        self.loops = loops
        self.threads = Mutex(threads)
        self.sharedListener = sharedListener
    }

    deinit { stop() }

    /// `host:port` as a client would dial it.
    package var endpoint: Endpoint { Endpoint(host: address.host, port: address.port) }

    /// Binds, starts the loops and returns once listening (connections queue in the backlog
    /// until a loop takes them).
    package static func start(_ configuration: ServerConfiguration) throws(SocketError) -> ReferenceServer {
        do {
            try configuration.parameters.validate()
        } catch {
            throw SocketError(kind: .other, operation: "configure", errno: 0, message: error.description)
        }
        guard EventPoller.isSupported else {
            throw SocketError(kind: .other, operation: "start", errno: Errno.notImplemented.rawValue, message: "the reference server needs epoll (Linux)")
        }
        FileDescriptors.raiseLimitToHard()
        let count = min(max(configuration.threads, 1), 64)
        let numbers = SharedCounter()
        var listeners: [Int32] = []
        var loops: [EventLoop] = []
        var address: SocketAddress?
        func cleanUp() {
            loops.removeAll()  // each loop's deinit closes its epoll fds
            for fd in Set(listeners) { Platform.closeDescriptor(fd) }
        }
        do throws(SocketError) {
            switch configuration.listenerMode {
            case .reusePort:
                var port = configuration.port
                for index in 0..<count {
                    // The first listener claims the port exclusively (another server on it,
                    // randwire or not, makes the start fail); the others join its group.
                    let fd = try Listener.makeListeningSocket(
                        host: configuration.host, port: port, backlog: 4096, sharing: index == 0 ? .startGroup : .joinGroup)
                    listeners.append(fd)
                    if address == nil {
                        address = SocketAddress.of(fd, peer: false)
                        port = address?.port ?? port
                    }
                }
            case .shared:
                let fd = try Listener.makeListeningSocket(host: configuration.host, port: configuration.port, backlog: 4096, sharing: .exclusive)
                listeners = Array(repeating: fd, count: count)
                address = SocketAddress.of(fd, peer: false)
            }
            guard let bound = address else { throw SocketError(operation: "getsockname", Errno.current) }
            address = bound
            for fd in listeners {
                let owns = configuration.listenerMode == .reusePort
                loops.append(
                    try EventLoop(
                        configuration: configuration, listener: fd, ownsListener: owns,
                        exclusive: configuration.listenerMode == .shared, connectionNumbers: numbers))
            }
        } catch {
            cleanUp()
            throw error
        }
        var threads: [NativeThread] = []
        for (index, loop) in loops.enumerated() {
            guard let thread = NativeThread.spawn(name: "randwire-loop\(index)", stackSize: 1 << 20, { loop.run() }) else {
                for started in loops.prefix(index) { started.requestStop() }
                for thread in threads { thread.join() }
                // Started loops closed their own listeners; close the rest (or the shared one).
                if configuration.listenerMode == .shared {
                    Platform.closeDescriptor(listeners[0])
                } else {
                    for fd in listeners[index...] { Platform.closeDescriptor(fd) }
                }
                throw SocketError(operation: "pthread_create", Errno.wouldBlock)
            }
            threads.append(thread)
        }
        return ReferenceServer(
            address: address!, loops: loops, threads: threads,
            sharedListener: configuration.listenerMode == .shared ? listeners.first : nil)
    }

    /// Stops accepting, closes every connection and joins the loops. Idempotent; returns
    /// within milliseconds (the loops never block but in epoll_wait, which the eventfd wakes).
    package func stop() {
        threads.withLock { threads in
            guard !threads.isEmpty else { return }
            for loop in loops { loop.requestStop() }
            for thread in threads { thread.join() }
            threads.removeAll()
            if let sharedListener { Platform.closeDescriptor(sharedListener) }
        }
    }

    package var statistics: ServerStatistics {
        var total = ServerStatistics()
        for loop in loops {
            total.accepted += loop.counters.accepted.load(ordering: .relaxed)
            total.answered += loop.counters.answered.load(ordering: .relaxed)
            total.closedWithoutAnswer += loop.counters.closedWithoutAnswer.load(ordering: .relaxed)
            total.timedOut += loop.counters.timedOut.load(ordering: .relaxed)
            total.acceptErrors += loop.counters.acceptErrors.load(ordering: .relaxed)
        }
        return total
    }

}

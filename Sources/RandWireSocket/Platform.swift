// Every Glibc/Darwin difference of the socket layer lives in this file: Glibc imports some
// constants as enums or Int, Darwin as Int32; Darwin lacks MSG_NOSIGNAL and SOCK_NONBLOCK;
// pthread types differ in optionality.
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CRandWireSystem

package enum Platform {
    #if canImport(Glibc)
    package static let streamType = Int32(SOCK_STREAM.rawValue)
    /// Added to the socket type so the fd is born non-blocking and close-on-exec.
    package static let socketTypeFlags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    package static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    package static let streamType = SOCK_STREAM
    package static let socketTypeFlags: Int32 = 0
    package static let sendFlags: Int32 = 0
    #endif

    package static let shutRead = Int32(SHUT_RD)
    package static let shutWrite = Int32(SHUT_WR)
    package static let shutBoth = Int32(SHUT_RDWR)
    package static let protoTCP = Int32(IPPROTO_TCP)
    package static let protoIPv6 = Int32(IPPROTO_IPV6)
    package static let pollIn = Int16(POLLIN)
    package static let pollOut = Int16(POLLOUT)

    /// errno values that mean "try again later" (EWOULDBLOCK equals EAGAIN on Linux, not everywhere).
    @inline(__always)
    package static func wouldBlock(_ code: Int32) -> Bool { code == EAGAIN || code == EWOULDBLOCK }

    /// Creates a TCP socket that is non-blocking, close-on-exec and cannot raise SIGPIPE.
    package static func makeStreamSocket(family: Int32) -> (fd: Int32, errno: Int32) {
        let fd = socket(family, streamType | socketTypeFlags, 0)
        if fd < 0 { return (-1, errno) }
        #if !canImport(Glibc)
        prepareDescriptor(fd)
        #endif
        return (fd, 0)
    }

    /// Makes an fd from accept() or socket() safe where the flags could not be set atomically.
    package static func prepareDescriptor(_ fd: Int32) {
        #if canImport(Darwin)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    /// Sends with MSG_NOSIGNAL (Linux) or on a SO_NOSIGPIPE socket (Darwin).
    @inline(__always)
    package static func send(_ fd: Int32, _ base: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.send(fd, base, count, sendFlags)
        #else
        return Darwin.send(fd, base, count, sendFlags)
        #endif
    }

    @inline(__always)
    package static func connect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
        #if canImport(Glibc)
        return Glibc.connect(fd, address, length)
        #else
        return Darwin.connect(fd, address, length)
        #endif
    }

    @inline(__always)
    package static func bind(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
        #if canImport(Glibc)
        return Glibc.bind(fd, address, length)
        #else
        return Darwin.bind(fd, address, length)
        #endif
    }

    @inline(__always)
    package static func poll(_ fds: UnsafeMutablePointer<pollfd>, _ count: Int, _ timeout: Int32) -> Int32 {
        #if canImport(Glibc)
        return Glibc.poll(fds, nfds_t(count), timeout)
        #else
        return Darwin.poll(fds, nfds_t(count), timeout)
        #endif
    }

    @inline(__always)
    package static func closeDescriptor(_ fd: Int32) {
        // Never retried on EINTR: the fd is gone either way (LWN 576478).
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    @inline(__always)
    package static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) -> Bool {
        var v = value
        return setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size)) == 0
    }

    package static func setLingerZero(_ fd: Int32) {
        var value = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size))
    }

    package static let reusePortOption: Int32 = SO_REUSEPORT

    package static func message(for code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// The directory listing this process's open file descriptors.
    #if os(Linux)
    package static let descriptorDirectory = "/proc/self/fd"
    #else
    package static let descriptorDirectory = "/dev/fd"
    #endif

    // MARK: threads

    #if canImport(Glibc)
    package typealias ThreadHandle = pthread_t
    #else
    package typealias ThreadHandle = pthread_t?
    #endif

    /// Starts a joinable pthread running `body`; nil if the system refused.
    package static func startThread(stackSize: Int, _ body: @escaping () -> Void) -> ThreadHandle? {
        final class Box { let body: () -> Void; init(_ body: @escaping () -> Void) { self.body = body } }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        #if canImport(Glibc)
        var handle = pthread_t()
        let rc = pthread_create(&handle, &attributes, { raw in
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, context)
        #else
        var handle: pthread_t? = nil
        let rc = pthread_create(&handle, &attributes, { raw in
            Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, context)
        #endif
        guard rc == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            return nil
        }
        return handle
    }

    package static func joinThread(_ handle: ThreadHandle) {
        #if canImport(Glibc)
        _ = pthread_join(handle, nil)
        #else
        if let handle { _ = pthread_join(handle, nil) }
        #endif
    }

    package static func detachThread(_ handle: ThreadHandle) {
        #if canImport(Glibc)
        _ = pthread_detach(handle)
        #else
        if let handle { _ = pthread_detach(handle) }
        #endif
    }

    /// Names the calling thread (Linux truncates to 15 bytes), for debuggers and `top -H`.
    package static func nameCurrentThread(_ name: String) {
        rw_set_thread_name(name)
    }
}

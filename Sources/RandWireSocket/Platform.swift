// Every Glibc/Darwin difference lives in this file: Glibc imports some constants as enums or
// Int, Darwin as Int32; Darwin lacks MSG_NOSIGNAL and SOCK_NONBLOCK; pthread types differ in
// optionality. It is the one file of the package that imports Glibc or Darwin (the process
// launcher aside, until it moves here); the other socket files get POSIX names from the C shim's
// header, and the targets above the socket layer reach the system only through `Platform`,
// `Syscall` and the socket types.
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

    /// Creates a TCP socket that is non-blocking, close-on-exec and cannot raise SIGPIPE.
    package static func makeStreamSocket(family: Int32) -> Result<Int32, Errno> {
        let result = Syscall.valueOrErrno { socket(family, streamType | socketTypeFlags, 0) }
        #if !canImport(Glibc)
        if case let .success(fd) = result { prepareDescriptor(fd) }
        #endif
        return result
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

    /// Sends with MSG_NOSIGNAL (Linux) or on a SO_NOSIGPIPE socket (Darwin); -1 with errno on
    /// failure (`Syscall.send` reads it).
    @inlinable @inline(__always)
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

    @inlinable @inline(__always)
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

    /// Sets `sin_len` where the address has one (Darwin); nothing on Linux.
    package static func setLengthField(_ address: inout sockaddr_in) {
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
    }

    /// Sets `sin6_len` where the address has one (Darwin); nothing on Linux.
    package static func setLengthField(_ address: inout sockaddr_in6) {
        #if canImport(Darwin)
        address.sin6_len = UInt8(MemoryLayout<sockaddr_in6>.size)
        #endif
    }

    /// The offset of the first `byte` in `bytes` (memchr), or nil.
    @inlinable @inline(__always)
    package static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, let found = memchr(base, Int32(byte), bytes.count) else { return nil }
        return UnsafeRawPointer(found) - base
    }

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

    // MARK: the process

    /// Ignores SIGPIPE for the whole process, so a closed pipe or socket gives EPIPE instead of a
    /// silent death (Linux has no per-socket SO_NOSIGPIPE).
    package static func ignoreBrokenPipes() { _ = signal(SIGPIPE, SIG_IGN) }

    /// Blocks SIGINT and SIGTERM in the calling thread and in every thread it starts afterwards,
    /// so they stay pending until `waitForTerminationSignal` takes one. A handler or a dispatch
    /// source can lose a process-directed signal to a thread that does not block it.
    package static func blockTerminationSignals() {
        var set = terminationSignals
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits until SIGINT or SIGTERM arrives (blocked first with `blockTerminationSignals`).
    @discardableResult
    package static func waitForTerminationSignal() -> Int32 {
        var set = terminationSignals
        var signal: Int32 = 0
        while sigwait(&set, &signal) != 0 {}
        return signal
    }

    private static var terminationSignals: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        return set
    }


    package static func exitProcess(_ code: Int32) -> Never { exit(code) }

    package static var isSuperuser: Bool { getuid() == 0 }
    package static var processID: Int32 { getpid() }
    package static func killProcess(_ pid: Int32) { _ = kill(pid, SIGKILL) }


    /// Whether the process's standard output (1) or error (2) is a terminal.
    /// The path of the running executable, so a command can start itself (`check-client --self`
    /// runs `randwire get`); nil when the system cannot say.
    package static func executablePath() -> String? {
        #if canImport(Darwin)
        var size: UInt32 = 4096
        var buffer = [CChar](repeating: 0, count: Int(size))
        guard _NSGetExecutablePath(&buffer, &size) == 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #endif
    }

    package static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
    package static let standardOutput: Int32 = 1
    package static let standardError: Int32 = 2

    /// Writes `text` to stdout or stderr through stdio and flushes, so lines appear at once.
    package static func writeAndFlush(_ text: String, to fd: Int32) {
        let stream = fd == standardError ? stderr : stdout
        fputs(text, stream)
        fflush(stream)
    }

    /// Writes `text` to fd 2 with one write(2): safe from any thread, no stdio buffer.
    package static func writeStandardError(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(standardError, $0.baseAddress, $0.count) }
    }

    /// The process's environment variables.
    package static func environment() -> [String: String] {
        var environment: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                environment[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        return environment
    }

    /// Online processors (at least 1).
    package static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Sleeps the calling thread until the monotonic clock reaches `target` nanoseconds.
    package static func sleep(untilMonotonic target: Int64) {
        while true {
            let left = target - monotonicNanoseconds()
            if left <= 0 { return }
            var request = timespec(tv_sec: Int(left / 1_000_000_000), tv_nsec: Int(left % 1_000_000_000))
            _ = nanosleep(&request, nil)
        }
    }

    @inlinable @inline(__always)
    package static func monotonicNanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
    }

    /// Lifts the soft RLIMIT_NOFILE to the hard one: thousands of connections need thousands
    /// of fds (the server's idle connections, the load generator's slots).
    package static func raiseDescriptorLimitToHard() {
        var limit = rlimit()
        guard getrlimit(descriptorLimit, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(descriptorLimit, &limit)
    }

    #if canImport(Glibc)
    private static let descriptorLimit = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let descriptorLimit = RLIMIT_NOFILE
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

extension Errno {
    /// errno as the last failed call left it (`Syscall.valueOrErrno` reads it for the socket layer).
    @inlinable package static var current: Errno { Errno(errno) }
}

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CRandWireSystem
import RandWireSocket
import Testing

@Suite("The errno seam")
struct SyscallTests {
    @Test("EINTR reruns the call, then its value comes back")
    func interruptedCallIsRetried() {
        var calls = 0
        let result = Syscall.valueOrErrno { () -> Int32 in
            calls += 1
            if calls < 3 {
                errno = EINTR
                return -1
            }
            return 42
        }
        #expect(result == .success(42))
        #expect(calls == 3)
    }

    @Test("Without retryOnInterrupt, EINTR is the failure")
    func interruptNotRetriedWhenAsked() {
        var calls = 0
        let result = Syscall.valueOrErrno(retryOnInterrupt: false) { () -> Int in
            calls += 1
            errno = EINTR
            return -1
        }
        #expect(result == .failure(.interrupted))
        #expect(calls == 1)
    }

    @Test("A failure carries the errno set by the call, typed", arguments: [
        (ECONNREFUSED, SocketError.Kind.refused), (ECONNRESET, .reset), (EAGAIN, .other), (EMFILE, .limit),
    ])
    func failureMapsToTypedError(code: Int32, kind: SocketError.Kind) {
        let result = Syscall.valueOrErrno { () -> Int32 in
            errno = code
            return -1
        }
        #expect(result == .failure(Errno(code)))
        guard case let .failure(failed) = result else { return }
        #expect(failed.isWouldBlock == (code == EAGAIN || code == EWOULDBLOCK))
        let error = SocketError(operation: "test", failed)
        #expect(error.errno == code)
        #expect(error.kind == kind)
    }

    @Test("Only -1 is a failure; errno is not read on success")
    func successIgnoresErrno() {
        errno = EBADF
        #expect(Syscall.valueOrErrno { Int32(0) } == .success(0))
        #expect(Syscall.valueOrErrno { Int(-2) } == .success(-2))
        #expect(Syscall.nothingOrErrno { 0 }.error == nil)
    }

    @Test("A real syscall's errno comes through: recv on a closed fd is EBADF")
    func realSyscallFailure() {
        var byte: UInt8 = 0
        #expect(Syscall.receive(-1, &byte, 1) == .failure(.badDescriptor))
    }

    @Test("Named errno values are the C constants")
    func errnoConstants() {
        #expect(Errno.interrupted.rawValue == EINTR)
        #expect(Errno.wouldBlock.rawValue == EAGAIN)
        #expect(Errno.inProgress.rawValue == EINPROGRESS)
        #expect(Errno.connectionRefused.rawValue == ECONNREFUSED)
        #expect(Errno.connectionReset.rawValue == ECONNRESET)
        #expect(Errno.addressInUse.rawValue == EADDRINUSE)
        #expect(Errno.tooManyOpenFiles.rawValue == EMFILE)
        #expect(Errno.notImplemented.rawValue == ENOSYS)
    }
}

@Suite("Typed epoll events and operations")
struct EpollTypesTests {
    @Test("Event bits equal the shim's constants and the Linux ABI values")
    func eventBits() {
        let expected: [(EventPoller.Events, UInt32, UInt32)] = [
            (.readable, RW_EVENT_IN, 0x001), (.priority, RW_EVENT_PRI, 0x002), (.writable, RW_EVENT_OUT, 0x004),
            (.error, RW_EVENT_ERR, 0x008), (.hangUp, RW_EVENT_HUP, 0x010), (.readHangUp, RW_EVENT_RDHUP, 0x2000),
            (.exclusive, RW_EVENT_EXCLUSIVE, 1 << 28), (.oneShot, RW_EVENT_ONESHOT, 1 << 30), (.edgeTriggered, RW_EVENT_ET, 1 << 31),
        ]
        for (events, shim, linux) in expected {
            #expect(events.rawValue == shim)
            #expect(events.rawValue == linux)
        }
        #expect(EventPoller.Events([.readable, .exclusive]).rawValue == 0x1000_0001)
    }

    @Test("Operations equal EPOLL_CTL_ADD, _DEL and _MOD")
    func operations() {
        #expect(EventPoller.Operation.add.rawValue == RW_CTL_ADD)
        #expect(EventPoller.Operation.delete.rawValue == RW_CTL_DEL)
        #expect(EventPoller.Operation.modify.rawValue == RW_CTL_MOD)
        #expect(EventPoller.Operation.add.rawValue == 1)
        #expect(EventPoller.Operation.delete.rawValue == 2)
        #expect(EventPoller.Operation.modify.rawValue == 3)
    }

    @Test("A registered socket pair reports readable with its token; modify and remove work",
          .enabled(if: EventPoller.isSupported))
    func pollerRoundTrip() throws {
        var pair: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { close(pair[0]); close(pair[1]) }
        let poller = try EventPoller()
        #expect(poller.add(pair[0], events: [.readable, .readHangUp], token: 7).error == nil)
        #expect(poller.add(pair[0], events: .readable, token: 7).error == Errno(EEXIST))
        var byte: UInt8 = 1
        #expect(Syscall.send(pair[1], &byte, 1) == .success(1))
        #expect(poller.wait(timeout: 1000) == 1)
        let event = poller.event(at: 0)
        #expect(event.token == 7)
        #expect(event.events.contains(.readable))
        #expect(!event.events.contains(.writable))
        #expect(poller.modify(pair[0], events: .writable, token: 8).error == nil)
        #expect(poller.wait(timeout: 1000) == 1)
        #expect(poller.event(at: 0).token == 8)
        poller.remove(pair[0])
        #expect(poller.wait(timeout: 0) == 0)
    }
}

extension Result {
    /// The failure, or nil on success.
    fileprivate var error: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}

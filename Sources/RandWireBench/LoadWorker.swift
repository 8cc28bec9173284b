import RandWireSocket
import Synchronization

/// The times every worker of one run shares, in monotonic nanoseconds.
struct RunClock: Sendable {
    let start: Int64
    /// No exchange starts at or after this; exchanges completing after it are "late".
    let deadline: Int64
    /// In-flight exchanges are abandoned here.
    let hardStop: Int64
    let exchangeTimeout: Int64
}

/// One load thread: its own `EventPoller` and its share of the connection slots. Each slot
/// loops connect → (send) → read to EOF → validate → close, like loadgen.c. Everything here is
/// touched by the worker's thread only, except the progress atomics; the coordinator reads the
/// rest after joining the thread.
// @unchecked: mutable state belongs to the worker's thread until it is joined (see above).
final class LoadWorker: @unchecked Sendable {
    private enum Phase: UInt8 { case idle, connecting, reading }

    private struct Slot {
        var fd: Int32 = -1
        var phase = Phase.idle
        var generation: UInt32 = 0
        var startedAt: Int64 = 0
        /// 0: not waiting; otherwise when to retry after a refused/failed connect.
        var retryAt: Int64 = 0
        var length = 0
        var sent = 0
    }

    /// The answer cap plus one byte, so an over-cap answer is seen as such (CORE-4).
    static let bufferCapacity = 1025
    private static let bufferStride = 1088
    private static let eventCapacity = 256
    static let maxInvalidExamples = 5

    private let slotCount: Int
    private let slots: UnsafeMutablePointer<Slot>
    private let buffers: UnsafeMutableRawPointer
    private let poller: EventPoller
    private let target: SocketAddress
    private let request: UnsafeMutableRawBufferPointer?
    private let validator: AnswerValidator
    private let linger0: Bool
    private let clock: RunClock

    // Results, read by the coordinator after join.
    private(set) var histogram = LatencyHistogram()
    private(set) var errors = [Int](repeating: 0, count: BenchErrorKind.allCases.count)
    private(set) var done = 0
    private(set) var late = 0
    private(set) var unfinished = 0
    private(set) var invalidExamples: [String] = []
    private var retryPending = false
    private var totalErrors = 0

    /// Progress, published after each batch of events.
    let publishedDone = Atomic<Int>(0)
    let publishedErrors = Atomic<Int>(0)

    /// Throws when the epoll instance cannot be made.
    init(
        slots count: Int, address target: SocketAddress, request: [UInt8]?, validator: AnswerValidator, linger0: Bool, clock: RunClock
    ) throws(SocketError) {
        poller = try EventPoller(capacity: Self.eventCapacity)
        self.target = target
        slotCount = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: Slot(), count: max(count, 1))
        buffers = .allocate(byteCount: max(count, 1) * Self.bufferStride, alignment: 64)
        if let request, !request.isEmpty {
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: request.count, alignment: 1)
            copy.copyBytes(from: request)
            self.request = copy
        } else {
            self.request = nil
        }
        self.validator = validator
        self.linger0 = linger0
        self.clock = clock
    }

    deinit {
        slots.deinitialize(count: max(slotCount, 1))
        slots.deallocate()
        buffers.deallocate()
        request?.deallocate()
    }

    // MARK: the loop

    func run() {
        var now = Deadline.monotonicNanoseconds()
        for index in 0..<slotCount where now < clock.deadline { start(index, now: now) }
        var nextScan = now + 50_000_000
        while true {
            now = Deadline.monotonicNanoseconds()
            if now >= clock.hardStop { break }
            var waiting = false
            if now >= nextScan || now >= clock.deadline {
                // Timeouts, retries and the exit test: a scan every 50 ms is plenty for a 5 s
                // timeout, and costs nothing per exchange.
                nextScan = now + (now >= clock.deadline ? 5_000_000 : 50_000_000)
                var inFlight = 0
                for index in 0..<slotCount {
                    if slots[index].phase != .idle && now - slots[index].startedAt > clock.exchangeTimeout {
                        finish(index, error: Self.isSelfConnected(slots[index].fd) ? .refused : .timeout, now: now)
                    }
                    if slots[index].phase == .idle && slots[index].retryAt != 0 && now < clock.deadline {
                        if now >= slots[index].retryAt { start(index, now: now) } else { waiting = true }
                    }
                    if slots[index].phase != .idle { inFlight += 1 }
                }
                if now >= clock.deadline && inFlight == 0 { break }
                if waiting && now < clock.deadline { nextScan = now + 1_000_000 }
            }
            let count = poller.wait(timeout: waiting || retryPending ? 1 : 10)
            if count > 0 {
                for position in 0..<count {
                    let event = poller.event(at: position)
                    let index = Int(truncatingIfNeeded: event.token & 0xFFFF_FFFF)
                    guard index < slotCount, slots[index].fd >= 0,
                        slots[index].generation == UInt32(truncatingIfNeeded: event.token >> 32)
                    else { continue }
                    switch slots[index].phase {
                    case .connecting: connected(index, events: event.events)
                    case .reading: readAnswer(index, events: event.events)
                    case .idle: break
                    }
                }
                publishedDone.store(done, ordering: .relaxed)
                publishedErrors.store(totalErrors, ordering: .relaxed)
            }
            if retryPending {
                nextScan = 0
                retryPending = false
            }
        }
        // Exchanges still open are abandoned; they enter the histogram at their age so far (a
        // lower bound), so a server that leaves clients hanging cannot hide in the tail.
        now = Deadline.monotonicNanoseconds()
        for index in 0..<slotCount where slots[index].phase != .idle {
            let selfConnected = Self.isSelfConnected(slots[index].fd)
            Platform.closeDescriptor(slots[index].fd)
            slots[index].fd = -1
            slots[index].phase = .idle
            if selfConnected {
                count(.refused)
            } else {
                unfinished += 1
                histogram.record(nanoseconds: UInt64(max(0, now - slots[index].startedAt)))
            }
        }
        publishedDone.store(done, ordering: .relaxed)
        publishedErrors.store(totalErrors, ordering: .relaxed)
    }

    // MARK: one exchange

    @inline(__always)
    private func token(_ index: Int) -> UInt64 {
        UInt64(slots[index].generation) << 32 | UInt64(index)
    }

    private func start(_ index: Int, now: Int64) {
        slots[index].length = 0
        slots[index].sent = 0
        slots[index].retryAt = 0
        slots[index].generation &+= 1
        let fd: Int32
        switch Platform.makeStreamSocket(family: target.family) {
        case let .success(created): fd = created
        case let .failure(code):
            count(Self.classify(code, connecting: true))
            backOff(index, now: now)
            return
        }
        if linger0 { Platform.setLingerZero(fd) }
        slots[index].fd = fd
        slots[index].startedAt = Deadline.monotonicNanoseconds()
        if case let .failure(code) = Syscall.connect(fd, to: target), code != .inProgress {
            finish(index, error: Self.classify(code, connecting: true), now: slots[index].startedAt)
            return
        }
        if request != nil {
            sendRequest(index, registered: false, now: now)
            return
        }
        slots[index].phase = .reading
        if case .failure = poller.add(fd, events: [.readable, .readHangUp], token: token(index)) {
            finish(index, error: .connect, now: now)
        }
    }

    private func sendRequest(_ index: Int, registered: Bool, now: Int64) {
        guard let request else { return }
        let fd = slots[index].fd
        while slots[index].sent < request.count {
            switch Syscall.send(fd, request.baseAddress! + slots[index].sent, request.count - slots[index].sent) {
            case let .success(sent) where sent > 0:
                slots[index].sent += sent
                continue
            case let .failure(code) where !(code.isWouldBlock || code == .notConnected):
                finish(index, error: Self.classify(code, connecting: false), now: Deadline.monotonicNanoseconds())
                return
            default:
                // Still connecting (or the buffer is full): wait for EPOLLOUT.
                if !registered, case .failure = poller.add(fd, events: .writable, token: token(index)) {
                    finish(index, error: .connect, now: now)
                    return
                }
                slots[index].phase = .connecting
                return
            }
        }
        slots[index].phase = .reading
        let readable: EventPoller.Events = [.readable, .readHangUp]
        let armed = registered ? poller.modify(fd, events: readable, token: token(index)) : poller.add(fd, events: readable, token: token(index))
        if case .failure = armed {
            finish(index, error: .connect, now: now)
        }
    }

    private func connected(_ index: Int, events: EventPoller.Events) {
        if !events.isDisjoint(with: [.error, .hangUp]) && !events.contains(.writable) {
            let pending = (try? Syscall.pendingError(slots[index].fd).get()) ?? 0
            finish(index, error: Self.classify(pending == 0 ? .connectionReset : Errno(pending), connecting: true), now: Deadline.monotonicNanoseconds())
            return
        }
        sendRequest(index, registered: true, now: Deadline.monotonicNanoseconds())
    }

    private func readAnswer(_ index: Int, events: EventPoller.Events) {
        let fd = slots[index].fd
        let buffer = buffers + index * Self.bufferStride
        reading: while true {
            let length = slots[index].length
            switch Syscall.receive(fd, buffer + length, Self.bufferCapacity - length) {
            case let .success(received) where received > 0:
                slots[index].length += received
                if slots[index].length == Self.bufferCapacity {
                    finish(index, error: .cap, now: Deadline.monotonicNanoseconds())
                    return
                }
                // The FIN was queued when epoll reported RDHUP, so a read that did not fill the
                // buffer took everything before it: that is EOF, without one more read().
                if events.contains(.readHangUp) { break reading }
            case .success:
                break reading
            case let .failure(code) where code.isWouldBlock:
                return
            case let .failure(code):
                finish(index, error: Self.classify(code, connecting: false), now: Deadline.monotonicNanoseconds())
                return
            }
        }
        let now = Deadline.monotonicNanoseconds()
        let answer = UnsafeRawBufferPointer(start: buffer, count: slots[index].length)
        if validator.isAcceptable(answer) {
            finish(index, error: nil, now: now)
        } else {
            if invalidExamples.count < Self.maxInvalidExamples, let problem = validator.judge(answer).problem {
                invalidExamples.append(problem)
            }
            finish(index, error: .invalid, now: now)
        }
    }

    /// Ends the exchange in `index` (error nil: a valid answer) and, before the deadline,
    /// starts the next one.
    private func finish(_ index: Int, error: BenchErrorKind?, now: Int64) {
        if slots[index].fd >= 0 { Platform.closeDescriptor(slots[index].fd) }  // also leaves epoll
        slots[index].fd = -1
        slots[index].phase = .idle
        let age = UInt64(max(0, now - slots[index].startedAt))
        if let error {
            count(error)
            // A timed-out exchange is a censored sample: its latency is at least this.
            if error == .timeout { histogram.record(nanoseconds: age) }
            if error == .refused || error == .connect {
                backOff(index, now: now)
                return
            }
        } else {
            histogram.record(nanoseconds: age)
            if now <= clock.deadline { done += 1 } else { late += 1 }
        }
        if now < clock.deadline { start(index, now: now) }
    }

    private func count(_ error: BenchErrorKind) {
        errors[Self.errorIndex(error)] += 1
        totalErrors += 1
    }

    /// Refused or failed connects wait 1 ms before the next try, as loadgen does, so a closed
    /// port is not a busy loop.
    private func backOff(_ index: Int, now: Int64) {
        slots[index].retryAt = now + 1_000_000
        retryPending = true
    }

    /// A connect to a closed port in the ephemeral range can pick that very port as its source
    /// and connect to itself (TCP simultaneous open): it never gets an answer, or reads its own
    /// request back. Checked only for exchanges that time out or are abandoned, where it is
    /// counted as the refusal it stands for.
    static func isSelfConnected(_ fd: Int32) -> Bool {
        guard fd >= 0, let local = SocketAddress.of(fd, peer: false), let peer = SocketAddress.of(fd, peer: true) else { return false }
        return local == peer
    }

    static func errorIndex(_ kind: BenchErrorKind) -> Int {
        BenchErrorKind.allCases.firstIndex(of: kind)!
    }

    static func classify(_ code: Errno, connecting: Bool) -> BenchErrorKind {
        switch code {
        case .connectionRefused: return .refused
        case .connectionReset, .brokenPipe: return .reset
        case .timedOut: return .timeout
        case .addressNotAvailable, .addressInUse, .tooManyOpenFiles, .tooManyOpenFilesInSystem, .noBufferSpace, .noMemory: return .connect
        default: return connecting ? .connect : .other
        }
    }
}

import RandWireProtocol
import RandWireSocket
import Synchronization

/// Per-loop counters, read by `ReferenceServer.statistics` from other threads.
/// Padded so two loops' counters (allocated back to back) never share a cache line: every
/// exchange bumps two of them, and a shared line would bounce between the cores.
final class LoopCounters: Sendable {
    private let padBefore: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    let accepted = Atomic<Int>(0)
    let answered = Atomic<Int>(0)
    let closedWithoutAnswer = Atomic<Int>(0)
    let timedOut = Atomic<Int>(0)
    let acceptErrors = Atomic<Int>(0)
    private let padAfter: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

    @inline(__always)
    static func bump(_ counter: borrowing Atomic<Int>) { counter.add(1, ordering: .relaxed) }
}

/// A number shared by the loops (connection numbers for log lines).
final class SharedCounter: Sendable {
    let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .relaxed).newValue }
    /// Set by the first loop that reports running out of descriptors: the server warns once.
    let reportedAcceptLimit = Atomic<Bool>(false)
}

/// One connection's state, kept in a reused slab slot (no object per connection).
struct Slot {
    enum Phase: UInt8 {
        case free
        /// Waiting for (the rest of) the request.
        case reading
        /// The response did not fit the send buffer: waiting for EPOLLOUT.
        case writing
        /// Answered and half-closed; discarding what the client still sends until its EOF, so
        /// that unread bytes cannot turn our close into an RST that destroys the response.
        case draining
    }

    var fd: Int32 = -1
    var generation: UInt32 = 0
    var phase = Phase.free
    var registered = false
    var events: EventPoller.Events = []
    /// Monotonic nanoseconds.
    var acceptedAt: Int64 = 0
    var lastByteAt: Int64 = 0
    var accumulator: RequestAccumulator?
    var pending: [UInt8] = []
    var pendingOffset = 0
    /// After the pending response: drain (true) or close (false).
    var drainAfterWrite = false
    // Logging only (nil/empty unless `logLine` is set).
    var connectionNumber = 0
    var peer: SocketAddress?
    var request: Request?
}

/// One epoll loop on its own thread: accepts, reads, answers and times out connections.
// @unchecked: every mutable field is touched by the loop's own thread only; other threads use its atomics and `EventPoller.wake`.
final class EventLoop: @unchecked Sendable {
    private static let listenerToken = UInt64.max - 1
    private static let readBufferSize = 64 * 1024
    private static let acceptBatch = 128

    let poller: EventPoller
    let counters = LoopCounters()
    private let stopping: Atomic<Bool>
    private let listener: Int32
    private let ownsListener: Bool
    private let listenerEvents: EventPoller.Events
    private let parameters: ProfileParameters
    private let profileReadsRequest: Bool
    private let connectionTimeout: Int64
    private let requestQuiet: Int64
    private let logLine: (@Sendable (String) -> Void)?
    private let warningLine: (@Sendable (String) -> Void)?
    private let connectionNumbers: SharedCounter

    private var slots: [Slot] = []
    private var freeSlots: [Int32] = []
    private var connectionDeadlines = DeadlineQueue()
    private var quietDeadlines = DeadlineQueue()
    private var listenerPausedUntil: Int64?
    private let readBuffer: UnsafeMutableRawBufferPointer
    private var random = BufferedSystemRandom()
    /// The allocation-free writer for bare/csv/request answers (nil for parity and double).
    private let answerWriter: RandomAnswerWriter?
    private let answerBuffer: UnsafeMutableRawPointer
    /// Where accept writes the peer address (only when logging).
    private let peer = PeerAddressBuffer()

    init(
        configuration: ServerConfiguration, listener: Int32, ownsListener: Bool, exclusive: Bool,
        connectionNumbers: SharedCounter
    ) throws(SocketError) {
        poller = try EventPoller()
        self.listener = listener
        self.ownsListener = ownsListener
        // EPOLLEXCLUSIVE (Linux 4.5): wake one loop, not all, for a shared listener.
        listenerEvents = exclusive ? [.readable, .exclusive] : .readable
        parameters = configuration.parameters
        profileReadsRequest = configuration.parameters.profile.clientSendsRequest
        connectionTimeout = Deadline.nanoseconds(of: configuration.connectionTimeout)
        requestQuiet = Deadline.nanoseconds(of: configuration.requestQuiet)
        logLine = configuration.logLine
        warningLine = configuration.warningLine
        self.connectionNumbers = connectionNumbers
        stopping = Atomic(false)
        readBuffer = .allocate(byteCount: Self.readBufferSize, alignment: 16)
        answerWriter = RandomAnswerWriter(parameters: configuration.parameters)
        answerBuffer = .allocate(byteCount: RandomAnswerWriter.capacity, alignment: 16)
        if case let .failure(code) = poller.add(listener, events: listenerEvents, token: Self.listenerToken) {
            readBuffer.deallocate()
            answerBuffer.deallocate()
            random.deallocate()
            throw SocketError(operation: "epoll_ctl", code)
        }
    }

    deinit {
        readBuffer.deallocate()
        answerBuffer.deallocate()
        random.deallocate()
    }

    /// Asks the loop to finish; thread-safe.
    func requestStop() {
        stopping.store(true, ordering: .releasing)
        poller.wake()
    }

    // MARK: the loop

    func run() {
        while !stopping.load(ordering: .acquiring) {
            let count = poller.wait(timeout: nextTimeout(now: Deadline.monotonicNanoseconds()))
            let now = Deadline.monotonicNanoseconds()
            for index in 0..<count {
                let event = poller.event(at: index)
                switch event.token {
                case EventPoller.wakeToken: poller.drainWakes()
                case Self.listenerToken: acceptConnections(now: now)
                default: handle(event.events, token: event.token, now: now)
                }
            }
            fireTimers(now: Deadline.monotonicNanoseconds())
        }
        shutDown()
    }

    private func shutDown() {
        for index in slots.indices where slots[index].phase != .free {
            Platform.closeDescriptor(slots[index].fd)
            slots[index] = Slot()
        }
        if ownsListener {
            Platform.closeDescriptor(listener)
        } else {
            poller.remove(listener)
        }
    }

    private func nextTimeout(now: Int64) -> Int32 {
        var next = Int64.max
        if let entry = connectionDeadlines.first { next = entry.deadline }
        if let entry = quietDeadlines.first, entry.deadline < next { next = entry.deadline }
        if let paused = listenerPausedUntil, paused < next { next = paused }
        guard next != .max else { return -1 }
        let left = next - now
        if left <= 0 { return 0 }
        return Int32(min((left + 999_999) / 1_000_000, Int64(Int32.max)))
    }

    // MARK: accepting

    private func acceptConnections(now: Int64) {
        for _ in 0..<Self.acceptBatch {
            let fd: Int32
            switch Syscall.accept(listener, peer: logLine == nil ? nil : peer) {
            case let .success(accepted): fd = accepted
            case let .failure(code) where code.isWouldBlock: return
            case .failure(.connectionAborted), .failure(.protocolError), .failure(.notPermitted): continue
            case let .failure(code)
            where code == .tooManyOpenFiles || code == .tooManyOpenFilesInSystem || code == .noBufferSpace || code == .noMemory:
                LoopCounters.bump(counters.acceptErrors)
                pauseAccepting(now: now, code: code)
                return
            case .failure:
                LoopCounters.bump(counters.acceptErrors)
                return
            }
            LoopCounters.bump(counters.accepted)
            if profileReadsRequest {
                startReading(fd, now: now)
            } else {
                answerOnAccept(fd, now: now)
            }
        }
    }

    /// Out of fds: stop accepting on this loop for 100 ms instead of spinning on a listener that
    /// stays readable, then resume.
    private func pauseAccepting(now: Int64, code: Errno) {
        poller.remove(listener)
        listenerPausedUntil = now + 100_000_000
        // Warned once per server, not per loop or per pause: the limit can persist for minutes.
        if let warningLine, !connectionNumbers.reportedAcceptLimit.exchange(true, ordering: .relaxed) {
            warningLine("\(SocketError(operation: "accept", code)); pausing accepts for 100 ms at a time until descriptors free up (raise the limit: ulimit -n)")
        }
    }

    private func resumeAccepting() {
        listenerPausedUntil = nil
        _ = poller.add(listener, events: listenerEvents, token: Self.listenerToken)
    }

    // MARK: bare and csv: answer at accept, close

    private func answerOnAccept(_ fd: Int32, now: Int64) {
        // The hot path: accept4, send, close; no slot, no epoll registration, no allocation.
        answerWithoutSlot(fd, request: nil, mayHaveMore: false, now: now)
    }

    // MARK: sending an answer (the one send path of all three ways in)

    /// What an answer's first send did.
    private enum FirstSend {
        /// Every byte went out and no log line wants them: nothing was allocated on the writer's path.
        case done
        /// For `deliver`: the answer and what its first send returned.
        case pending(response: [UInt8], sent: Result<Int, Errno>)
        /// There is nothing to send (the request profile's empty half-close, REQ-2).
        case noAnswer
    }

    /// Encodes the answer to `request` (nil: answered at accept, or an empty half-close) and
    /// sends it once: into the reused buffer by the allocation-free writer where it applies,
    /// else through `ResponseEncoder`.
    @inline(__always)
    private func sendAnswer(_ fd: Int32, request: Request?) -> FirstSend {
        if let writer = answerWriter, request != nil || !profileReadsRequest {
            let length = writer.write(into: answerBuffer, using: &random)
            let sent = Syscall.send(fd, answerBuffer, length)
            if case .success(length) = sent, logLine == nil { return .done }
            return .pending(response: Array(UnsafeRawBufferPointer(start: answerBuffer, count: length)), sent: sent)
        }
        guard let response = ResponseEncoder.response(for: request, parameters: parameters, using: &random) else { return .noAnswer }
        let sent = response.withUnsafeBytes { Syscall.send(fd, $0.baseAddress, $0.count) }
        if case .success(response.count) = sent, logLine == nil { return .done }
        return .pending(response: response, sent: sent)
    }

    /// After an answer's first send: done, wait for EPOLLOUT, or give up.
    private func deliver(_ index: Int, _ first: FirstSend, drain: Bool, now: Int64) {
        switch first {
        case .done:
            LoopCounters.bump(counters.answered)
            if drain { startDraining(index, now: now) } else { release(index) }
        case let .pending(response, .success(count)) where count == response.count:
            finishAnswered(index, response: response, now: now, drain: drain)
        case let .pending(response, .success(count)):
            holdPending(index, response: response, offset: count, drain: drain, now: now)
        case let .pending(response, .failure(code)) where code.isWouldBlock:
            holdPending(index, response: response, offset: 0, drain: drain, now: now)
        case .pending:
            close(index, outcome: .closedWithoutAnswer, now: now, note: "send-failed")
        case .noAnswer:
            close(index, outcome: .closedWithoutAnswer, now: now, note: "empty")
        }
    }

    // MARK: request, parity, double: read the request, answer, close

    private func startReading(_ fd: Int32, now: Int64) {
        guard logLine == nil else {
            let index = allocateSlot(fd: fd, now: now)
            readRequest(index, now: now)
            return
        }
        // The hot path: the request, LF included, has usually arrived with the handshake. Read
        // it before taking a slot, and answer it with no slot, epoll registration or accumulator.
        let budget = Limits.maxRequestBytes + 2
        let first = Syscall.receive(fd, readBuffer.baseAddress, budget)
        if case let .success(received) = first, received > 0,
            let request = Self.lineRequest(UnsafeRawBufferPointer(start: readBuffer.baseAddress, count: received))
        {
            answerWithoutSlot(fd, request: request, mayHaveMore: received == budget, now: now)
            return
        }
        // Anything else (part of a request, EOF, nothing yet, an error) goes the general way,
        // starting from what this read returned.
        let index = allocateSlot(fd: fd, now: now)
        readRequest(index, now: now, firstRead: first)
    }

    /// A request ended by an LF within `chunk`, judged as `RequestAccumulator` would (FRAME-1):
    /// nil unless the LF comes within the size limit, so the accumulator decides every edge case.
    private static func lineRequest(_ chunk: UnsafeRawBufferPointer) -> Request? {
        guard var length = Platform.firstIndex(of: 0x0A, in: chunk), length <= Limits.maxRequestBytes else { return nil }
        if length > 0 && chunk[length - 1] == 0x0D { length -= 1 }
        return Request(content: Array(chunk[0..<length]), end: .lineFeed)
    }

    /// Answers before taking a slot: at accept (`request` nil), or a request read whole with
    /// the handshake.
    private func answerWithoutSlot(_ fd: Int32, request: Request?, mayHaveMore: Bool, now: Int64) {
        let first = sendAnswer(fd, request: request)
        if case .done = first, !mayHaveMore {
            LoopCounters.bump(counters.answered)
            Platform.closeDescriptor(fd)
            return
        }
        // Rare: a partial send, bytes to drain after the LF, or a log line; a slot takes over.
        let index = allocateSlot(fd: fd, now: now)
        deliver(index, first, drain: mayHaveMore, now: now)
    }

    /// Reads what has arrived of the request; `firstRead` is a recv already made (bytes in
    /// `readBuffer`, or its errno).
    private func readRequest(_ index: Int, now: Int64, firstRead: Result<Int, Errno>? = nil) {
        let fd = slots[index].fd
        var gotBytes = false
        var pending = firstRead
        reading: while true {
            let budget = slots[index].accumulator?.readBudget ?? (Limits.maxRequestBytes + 2)
            let result: Result<Int, Errno>
            if let first = pending {
                result = first
                pending = nil
            } else {
                result = Syscall.receive(fd, readBuffer.baseAddress, budget)
            }
            switch result {
            case let .success(received) where received > 0:
                gotBytes = true
                if slots[index].accumulator == nil { slots[index].accumulator = RequestAccumulator() }
                let state = slots[index].accumulator!.append(UnsafeRawBufferPointer(start: readBuffer.baseAddress, count: received))
                if case let .complete(request) = state {
                    answer(index, request: request, mayHaveMore: received == budget, now: now)
                    return
                }
            case .success:
                if slots[index].accumulator == nil { slots[index].accumulator = RequestAccumulator() }
                switch slots[index].accumulator!.finishAtEOF() {
                case let .complete(request): answer(index, request: request, mayHaveMore: false, now: now)
                case .emptyAtEOF: answer(index, request: nil, mayHaveMore: false, now: now)
                case .incomplete: close(index, outcome: .closedWithoutAnswer, now: now, note: "eof")
                }
                return
            case let .failure(code) where code.isWouldBlock:
                break reading
            case let .failure(code):
                close(index, outcome: .closedWithoutAnswer, now: now, note: code == .connectionReset ? "reset" : "error")
                return
            }
        }
        if gotBytes {
            slots[index].lastByteAt = now
            quietDeadlines.push(.init(deadline: now + requestQuiet, slot: Int32(index), generation: slots[index].generation))
        }
        if !register(index, events: .readable, now: now) {
            close(index, outcome: .closedWithoutAnswer, now: now, note: "epoll")
        }
    }

    /// Sends the answer to `request` (nil: the client half-closed without a byte).
    private func answer(_ index: Int, request: Request?, mayHaveMore: Bool, now: Int64) {
        // nil is an empty half-close (the only way to get here without a request).
        if logLine != nil { slots[index].request = request ?? Request(content: [], end: .halfClose) }
        slots[index].accumulator = nil
        // Unread bytes may follow an LF or an over-cap request: drain them after answering.
        let drain = mayHaveMore && request?.end != .halfClose
        deliver(index, sendAnswer(slots[index].fd, request: request), drain: drain, now: now)
    }

    private func holdPending(_ index: Int, response: [UInt8], offset: Int, drain: Bool, now: Int64) {
        slots[index].phase = .writing
        slots[index].pending = response
        slots[index].pendingOffset = offset
        slots[index].drainAfterWrite = drain
        if !register(index, events: .writable, now: now) {
            close(index, outcome: .closedWithoutAnswer, now: now, note: "epoll")
        }
    }

    private func finishAnswered(_ index: Int, response: [UInt8], now: Int64, drain: Bool) {
        LoopCounters.bump(counters.answered)
        if let logLine { logLine(describe(index, response: response, outcome: "answered", now: now)) }
        guard drain else {
            release(index)
            return
        }
        startDraining(index, now: now)
    }

    private func startDraining(_ index: Int, now: Int64) {
        _ = Syscall.shutdown(slots[index].fd, Platform.shutWrite)
        slots[index].phase = .draining
        slots[index].pending = []
        if !register(index, events: .readable, now: now) { release(index) }
    }

    // MARK: events and timers

    private func handle(_ events: EventPoller.Events, token: UInt64, now: Int64) {
        let index = Int(token & 0xFFFF_FFFF)
        guard index < slots.count, slots[index].generation == UInt32(truncatingIfNeeded: token >> 32) else { return }
        switch slots[index].phase {
        case .free: return
        case .reading: readRequest(index, now: now)
        case .writing: writePending(index, now: now)
        case .draining: drain(index)
        }
    }

    private func writePending(_ index: Int, now: Int64) {
        let fd = slots[index].fd
        let offset = slots[index].pendingOffset
        switch slots[index].pending.withUnsafeBytes({ Syscall.send(fd, $0.baseAddress! + offset, $0.count - offset) }) {
        case let .success(sent):
            slots[index].pendingOffset += sent
            if slots[index].pendingOffset == slots[index].pending.count {
                let response = slots[index].pending
                let drain = slots[index].drainAfterWrite
                finishAnswered(index, response: response, now: now, drain: drain)
            }
        case let .failure(code) where code.isWouldBlock:
            return
        case .failure:
            close(index, outcome: .closedWithoutAnswer, now: now, note: "send-failed")
        }
    }

    private func drain(_ index: Int) {
        let fd = slots[index].fd
        // Bounded per wake-up so one flooding client cannot starve the others.
        for _ in 0..<16 {
            switch Syscall.receive(fd, readBuffer.baseAddress, readBuffer.count) {
            case let .success(received) where received > 0: continue
            case let .failure(code) where code.isWouldBlock: return
            default:
                release(index)
                return
            }
        }
    }

    private func fireTimers(now: Int64) {
        if let paused = listenerPausedUntil, paused <= now { resumeAccepting() }
        while let entry = quietDeadlines.first, entry.deadline <= now {
            _ = quietDeadlines.popFirst()
            let index = Int(entry.slot)
            guard slots[index].generation == entry.generation, slots[index].phase == .reading,
                slots[index].lastByteAt + requestQuiet <= now
            else { continue }
            if case let .complete(request)? = slots[index].accumulator?.finishAtQuiet() {
                answer(index, request: request, mayHaveMore: false, now: now)
            }
        }
        while let entry = connectionDeadlines.first, entry.deadline <= now {
            _ = connectionDeadlines.popFirst()
            let index = Int(entry.slot)
            guard slots[index].generation == entry.generation else { continue }
            switch slots[index].phase {
            case .free: continue
            case .draining: release(index)
            case .reading, .writing: close(index, outcome: .timedOut, now: now, note: "timeout")
            }
        }
    }

    // MARK: slots

    private func allocateSlot(fd: Int32, now: Int64) -> Int {
        let index: Int
        if let free = freeSlots.popLast() {
            index = Int(free)
        } else {
            index = slots.count
            slots.append(Slot())
        }
        slots[index].fd = fd
        slots[index].acceptedAt = now
        slots[index].phase = .reading
        if logLine != nil {
            slots[index].connectionNumber = connectionNumbers.next()
            slots[index].peer = peer.address
        }
        return index
    }

    /// Adds the slot's fd to epoll (or changes its events); the first registration starts the
    /// connection deadline.
    private func register(_ index: Int, events: EventPoller.Events, now: Int64) -> Bool {
        let token = UInt64(slots[index].generation) << 32 | UInt64(index)
        if slots[index].registered {
            if slots[index].events == events { return true }
            slots[index].events = events
            if case .failure = poller.modify(slots[index].fd, events: events, token: token) { return false }
            return true
        }
        if case .failure = poller.add(slots[index].fd, events: events, token: token) { return false }
        slots[index].registered = true
        slots[index].events = events
        connectionDeadlines.push(.init(deadline: slots[index].acceptedAt + connectionTimeout, slot: Int32(index), generation: slots[index].generation))
        return true
    }

    enum Outcome { case closedWithoutAnswer, timedOut }

    private func close(_ index: Int, outcome: Outcome, now: Int64, note: String) {
        switch outcome {
        case .closedWithoutAnswer: LoopCounters.bump(counters.closedWithoutAnswer)
        case .timedOut: LoopCounters.bump(counters.timedOut)
        }
        if let logLine {
            if let partial = slots[index].accumulator, partial.hasBytes {
                slots[index].request = Request(content: partial.buffered, end: .quiet)
            }
            logLine(describe(index, response: nil, outcome: note, now: now))
        }
        release(index)
    }

    /// Closes the fd (which also removes it from epoll) and recycles the slot.
    private func release(_ index: Int) {
        Platform.closeDescriptor(slots[index].fd)
        let generation = slots[index].generation &+ 1
        slots[index] = Slot()
        slots[index].generation = generation
        freeSlots.append(Int32(index))
    }

    private func describe(_ index: Int, response: [UInt8]?, outcome: String, now: Int64) -> String {
        let slot = slots[index]
        var line = "conn=\(slot.connectionNumber) peer=\(slot.peer?.description ?? "-")"
        if profileReadsRequest {
            if let request = slot.request {
                line += " request=\(ByteEscaping.escape(request.content, limit: 64)) end=\(request.end.rawValue)"
            } else {
                line += " request=-"
            }
        }
        if let response {
            line += " response=\(ByteEscaping.escape(response, limit: 64))"
        } else {
            line += " response=- end=\(outcome)"
        }
        let micros = max(0, (now - slot.acceptedAt) / 1000)
        line += " ms=\(micros / 1000).\(micros % 1000 / 100)"
        return line
    }
}

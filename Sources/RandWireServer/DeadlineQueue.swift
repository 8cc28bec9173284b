/// A FIFO of timer entries whose deadlines are pushed in non-decreasing order (every entry is
/// "now + a fixed delay"), so a ring buffer replaces a heap: O(1) push and pop. Entries are
/// never removed early; a popped entry whose slot generation changed is simply stale.
struct DeadlineQueue {
    struct Entry {
        var deadline: Int64
        var slot: Int32
        var generation: UInt32
    }

    private var storage: [Entry]
    private var head = 0
    private(set) var count = 0

    init(capacity: Int = 1024) {
        storage = Array(repeating: Entry(deadline: 0, slot: 0, generation: 0), count: capacity)
    }

    var first: Entry? { count == 0 ? nil : storage[head] }

    mutating func push(_ entry: Entry) {
        if count == storage.count { grow() }
        storage[(head + count) & (storage.count - 1)] = entry
        count += 1
    }

    mutating func popFirst() -> Entry? {
        guard count > 0 else { return nil }
        let entry = storage[head]
        head = (head + 1) & (storage.count - 1)
        count -= 1
        return entry
    }

    private mutating func grow() {
        var bigger = [Entry]()
        bigger.reserveCapacity(storage.count * 2)
        for offset in 0..<count { bigger.append(storage[(head + offset) & (storage.count - 1)]) }
        bigger.append(contentsOf: repeatElement(Entry(deadline: 0, slot: 0, generation: 0), count: storage.count * 2 - count))
        storage = bigger
        head = 0
    }
}

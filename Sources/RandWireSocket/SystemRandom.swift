import CRandWireSystem

/// A cryptographically secure generator that draws from the kernel (getrandom) 4 KiB at a time
/// instead of one syscall per number, as `SystemRandomNumberGenerator` does on Linux. Not
/// shareable: give each thread its own.
package struct BufferedSystemRandom: RandomNumberGenerator {
    private var buffer: UnsafeMutableBufferPointer<UInt64>
    private var position: Int

    package init(words: Int = 512) {
        buffer = .allocate(capacity: Swift.max(words, 1))
        position = buffer.count
    }

    /// Frees the buffer; the generator must not be used afterwards.
    package func deallocate() { buffer.deallocate() }

    package mutating func next() -> UInt64 {
        if position == buffer.count {
            if rw_random_fill(buffer.baseAddress, buffer.count * 8) != 0 {
                // The kernel generator is unavailable: fall back to the standard library's.
                var system = SystemRandomNumberGenerator()
                for index in buffer.indices { buffer[index] = system.next() }
            }
            position = 0
        }
        defer { position += 1 }
        return buffer[position]
    }
}

import RandWireProtocol
import RandWireSocket

/// Writes the random profiles' answers (bare, csv, request) straight into a loop-owned buffer:
/// no array per response, and the draw is specialised for `BufferedSystemRandom` (the generic
/// `ResponseEncoder` path goes through unspecialised stdlib generics across the module
/// boundary, several µs per csv batch). Same distribution as `Int.random(in:using:)`: Lemire's
/// multiply-shift with rejection, so every value of the range is exactly equally likely.
struct RandomAnswerWriter {
    /// The longest answer the parameters allow (validated to fit the 1024-byte cap).
    static let capacity = Limits.maxResponseBytes

    private let minimum: Int
    private let rangeSize: UInt64
    private let count: Int
    /// (0 - n) % n: draws whose low half falls below this are rejected.
    private let threshold: UInt64

    /// nil for the profiles whose answer is not a random number (parity, double).
    init?(parameters: ProfileParameters) {
        guard parameters.profile.isRandom else { return nil }
        minimum = parameters.min
        rangeSize = parameters.rangeSize
        count = parameters.profile == .csv ? parameters.count : 1
        threshold = (0 &- rangeSize) % rangeSize
    }

    /// Writes one answer into `buffer` (at least `capacity` bytes) and returns its length.
    @inline(__always)
    func write(into buffer: UnsafeMutableRawPointer, using random: inout BufferedSystemRandom) -> Int {
        var length = 0
        for index in 0..<count {
            if index > 0 {
                buffer.storeBytes(of: UInt8(ascii: ","), toByteOffset: length, as: UInt8.self)
                length += 1
            }
            length += Self.writeDecimal(minimum &+ Int(truncatingIfNeeded: draw(&random)), to: buffer + length)
        }
        return length
    }

    /// A uniform value in 0..<rangeSize.
    @inline(__always)
    private func draw(_ random: inout BufferedSystemRandom) -> UInt64 {
        var product = random.next().multipliedFullWidth(by: rangeSize)
        while product.low < threshold {
            product = random.next().multipliedFullWidth(by: rangeSize)
        }
        return product.high
    }

    /// Canonical decimal (CORE-10); returns the bytes written (at most 20).
    @inline(__always)
    static func writeDecimal(_ value: Int, to out: UnsafeMutableRawPointer) -> Int {
        var magnitude = value.magnitude
        var digits = 0
        var probe = magnitude
        repeat {
            digits += 1
            probe /= 10
        } while probe > 0
        let sign = value < 0 ? 1 : 0
        if sign == 1 { out.storeBytes(of: UInt8(ascii: "-"), as: UInt8.self) }
        var position = sign + digits
        repeat {
            position -= 1
            out.storeBytes(of: 0x30 + UInt8(truncatingIfNeeded: magnitude % 10), toByteOffset: position, as: UInt8.self)
            magnitude /= 10
        } while magnitude > 0
        return sign + digits
    }
}

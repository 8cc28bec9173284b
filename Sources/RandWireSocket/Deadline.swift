
/// A point on the monotonic clock (CLOCK_MONOTONIC) by which an operation must finish.
/// Every blocking call of this module takes one, so nothing can hang past it.
package struct Deadline: Sendable, Comparable, Hashable {
    /// Nanoseconds on the monotonic clock; `Int64.max` is the distant future.
    package let nanoseconds: Int64

    package init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    package static var now: Deadline { Deadline(nanoseconds: monotonicNanoseconds()) }

    package static func after(_ duration: Duration) -> Deadline { now.adding(duration) }

    package static var distantFuture: Deadline { Deadline(nanoseconds: .max) }

    /// Time left until the deadline, never negative.
    package var remaining: Duration {
        guard nanoseconds != .max else { return .seconds(Int64.max / 1_000_000_000) }
        let left = self - .now
        return left > .zero ? left : .zero
    }

    package var hasPassed: Bool { nanoseconds <= Self.monotonicNanoseconds() }

    /// The deadline moved by `duration`, saturating instead of overflowing.
    package func adding(_ duration: Duration) -> Deadline {
        guard nanoseconds != .max else { return self }
        let (sum, overflow) = nanoseconds.addingReportingOverflow(Self.nanoseconds(of: duration))
        if overflow { return duration > .zero ? .distantFuture : Deadline(nanoseconds: .min) }
        return Deadline(nanoseconds: sum)
    }

    package static func - (a: Deadline, b: Deadline) -> Duration {
        let (difference, overflow) = a.nanoseconds.subtractingReportingOverflow(b.nanoseconds)
        if overflow { return .nanoseconds(a.nanoseconds > b.nanoseconds ? Int64.max : Int64.min) }
        return .nanoseconds(difference)
    }

    package static func < (a: Deadline, b: Deadline) -> Bool { a.nanoseconds < b.nanoseconds }

    /// Milliseconds for poll()/epoll_wait(), rounded up so a wait never ends early; -1 = forever.
    package var pollTimeout: Int32 {
        guard nanoseconds != .max else { return -1 }
        let left = nanoseconds &- Self.monotonicNanoseconds()
        if left <= 0 { return 0 }
        let milliseconds = (left + 999_999) / 1_000_000
        return milliseconds > Int64(Int32.max) ? Int32.max : Int32(milliseconds)
    }

    @inlinable @inline(__always)
    package static func monotonicNanoseconds() -> Int64 { Platform.monotonicNanoseconds() }

    /// A duration in whole nanoseconds, saturating.
    package static func nanoseconds(of duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }
}

/// The one way from a `Duration` to a fractional number, for messages, reports and Foundation
/// (`Deadline.nanoseconds(of:)` is the whole-nanosecond one the timers use).
extension Duration {
    /// In seconds: `.milliseconds(4200).inSeconds == 4.2`.
    package var inSeconds: Double { self / .seconds(1) }

    /// In milliseconds: `.microseconds(1500).inMilliseconds == 1.5`.
    package var inMilliseconds: Double { self / .milliseconds(1) }
}

import RandWireBench
import Testing

@Suite("Latency histogram")
struct LatencyHistogramTests {
    @Test("percentiles are exact below 64 ns: one sample per nanosecond 1...63")
    func exactSmallValues() {
        var histogram = LatencyHistogram()
        for value in 1...63 as ClosedRange<UInt64> { histogram.record(nanoseconds: value) }
        #expect(histogram.count == 63)
        // The ceil(q × 63)-th smallest sample.
        #expect(histogram.value(atQuantile: 0.5) == 32)
        #expect(histogram.value(atQuantile: 0.9) == 57)
        #expect(histogram.value(atQuantile: 0.99) == 63)
        #expect(histogram.value(atQuantile: 0) == 1)
        #expect(histogram.value(atQuantile: 1) == 63)
        #expect(histogram.minNanoseconds == 1)
        #expect(histogram.maxNanoseconds == 63)
        #expect(histogram.sumNanoseconds == 63 * 64 / 2)
    }

    @Test("large values stay within the bucket resolution; max is exact")
    func largeValues() {
        var histogram = LatencyHistogram()
        for _ in 0..<990 { histogram.record(nanoseconds: 1_000_000) }  // 1 ms
        for _ in 0..<9 { histogram.record(nanoseconds: 7_000_000) }
        histogram.record(nanoseconds: 123_456_789)
        let summary = histogram.summary
        #expect(summary.samples == 1000)
        #expect(abs(summary.p50Ms - 1) <= 1.0 / 64)
        #expect(abs(summary.p90Ms - 1) <= 1.0 / 64)
        #expect(abs(summary.p99Ms - 1) <= 1.0 / 64)
        #expect(abs(summary.p999Ms - 7) <= 7.0 / 64)
        #expect(summary.maxMs == 123.456789)
        // A value alone in the histogram is reported exactly (clamped to the exact min and max).
        var single = LatencyHistogram()
        single.record(nanoseconds: 5_000_000)
        #expect(single.value(atQuantile: 0.5) == 5_000_000)
    }

    @Test("every value up to 2^40 ns is reported within 1/64 of itself")
    func resolution() {
        var value: UInt64 = 1
        while value < 1 << 40 {
            var histogram = LatencyHistogram()
            histogram.record(nanoseconds: 0)
            histogram.record(nanoseconds: value)
            histogram.record(nanoseconds: 1 << 44)
            let middle = histogram.value(atQuantile: 0.5)
            let error = Double(middle > value ? middle - value : value - middle)
            #expect(error <= Double(value) / 64, "value \(value) reported as \(middle)")
            value = value * 3 / 2 + 1
        }
    }

    @Test("merging adds counts, sums and extremes; an empty histogram reports zeros")
    func mergeAndEmpty() {
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        for value in 1...10 as ClosedRange<UInt64> { a.record(nanoseconds: value) }
        for value in 11...20 as ClosedRange<UInt64> { b.record(nanoseconds: value) }
        a.merge(b)
        #expect(a.count == 20)
        #expect(a.value(atQuantile: 0.5) == 10)
        #expect(a.value(atQuantile: 0.75) == 15)
        #expect(a.minNanoseconds == 1 && a.maxNanoseconds == 20)
        let empty = LatencyHistogram()
        #expect(empty.value(atQuantile: 0.99) == 0)
        #expect(empty.summary == LatencySummary(samples: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, p999Ms: 0, maxMs: 0, meanMs: 0))
    }
}

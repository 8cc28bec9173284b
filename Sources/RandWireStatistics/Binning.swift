/// Splits the K values of [min, max] into `count` contiguous bins whose sizes differ by at
/// most one, so each bin's probability under uniformity is exactly size / K.
struct Binning {
    let min: Int
    let rangeSize: Int
    let count: Int

    init(min: Int, max: Int, count: Int) {
        self.min = min
        self.rangeSize = max - min + 1
        self.count = Swift.max(1, Swift.min(count, rangeSize))
    }

    /// First value offset of bin j: floor(j K / b).
    func start(_ j: Int) -> Int { j * rangeSize / count }

    /// Number of values in bin j.
    func size(_ j: Int) -> Int { start(j + 1) - start(j) }

    /// Probability of bin j for a uniform draw.
    func probability(_ j: Int) -> Double { Double(size(j)) / Double(rangeSize) }

    /// The bin of `value`, clamped to the first or last bin when out of range.
    func bin(of value: Int) -> Int {
        let offset = value - min
        if offset <= 0 { return 0 }
        if offset >= rangeSize - 1 { return count - 1 }
        // The largest j with floor(j K / b) ≤ offset.
        return ((offset + 1) * count - 1) / rangeSize
    }

    /// "10..14" for bin j.
    func label(_ j: Int) -> String {
        let first = min + start(j)
        let last = min + start(j + 1) - 1
        return first == last ? "\(first)" : "\(first)..\(last)"
    }
}

import RandWireConformance
import RandWireProtocol
import RandWireStatistics

/// The pictures of a randomness check's sample: a histogram over [min, max] with the expected
/// count, a lag plot (value n against value n + 1) and, for batches, the mean per position.
/// Huge samples are binned (at most `barLimit` bars) and thinned (at most `pointLimit` points).
enum RandomnessCharts {
    static let barLimit = 60
    static let pointLimit = 2000
    static let positionLimit = 60

    enum Kind { case histogram, lag, positions }

    /// Which picture shows what a test looks for.
    static func kind(of test: String) -> Kind {
        switch test {
        case "serial-correlation", "adjacent-repeats", "longest-run", "batch-sorted": .lag
        case "position-exchangeability": .positions
        default: .histogram
        }
    }

    /// The check's figures (each an SVG with the statistics beside it), or none when the report
    /// kept no sample.
    static func figures(_ result: CheckResult, parameters: ProfileParameters) -> [String] {
        guard let batches = result.samples, let test = result.statistics.last?.test else { return [] }
        let values = batches.flatMap { $0 }
        guard !values.isEmpty, parameters.min <= parameters.max else { return [] }
        let svg: String
        switch kind(of: test) {
        case .histogram: svg = histogram(values, min: parameters.min, max: parameters.max)
        case .lag: svg = lagPlot(values, min: parameters.min, max: parameters.max)
        case .positions:
            guard batches.contains(where: { $0.count > 1 }) else { return [] }
            svg = positions(batches, min: parameters.min, max: parameters.max)
        }
        return ["<figure class=\"sample\">\(svg)<figcaption>\(caption(result))</figcaption></figure>"]
    }

    /// The statistic and p-value of each sample the check judged, beside its chart.
    static func caption(_ result: CheckResult) -> String {
        var html = "<dl class=\"stats\">"
        for (index, stat) in result.statistics.enumerated() {
            if result.statistics.count > 1 {
                html += "<dt class=\"sample-name\">\(index == 0 ? "first sample" : "fresh sample (charted)")</dt>"
            }
            html += "<dt>\(TextEscaping.html(stat.statisticName))</dt><dd>\(NumberText.significant(stat.statistic))</dd>"
            html += "<dt>p-value</dt><dd class=\"p \(stat.verdict.rawValue)\">\(NumberText.significant(stat.pValue)) (\(stat.verdict.rawValue))</dd>"
            html += "<dt>n</dt><dd>\(stat.n)</dd>"
        }
        if let last = result.statistics.last {
            html += "<dt>detects</dt><dd>\(TextEscaping.html(last.detectable))</dd>"
        }
        return html + "</dl>"
    }

    /// Value counts in at most `barLimit` equal-width bins of [min, max], against the count a
    /// uniform generator expects; values outside the range land in the end bins.
    static func histogram(_ values: [Int], min: Int, max: Int) -> String {
        let range = Double(max) - Double(min) + 1
        let bins = binCount(range)
        func start(_ j: Int) -> Int { min + Int((Double(j) * range / Double(bins)).rounded(.down)) }
        var counts = [Int](repeating: 0, count: bins)
        for value in values {
            let offset = (Double(value) - Double(min)) / range * Double(bins)
            counts[Swift.max(0, Swift.min(bins - 1, Int(offset.rounded(.down))))] += 1
        }
        var bars: [SVGChart.Bar] = []
        var expected: [Double] = []
        for j in 0..<bins {
            let first = start(j)
            let last = j == bins - 1 ? max : start(j + 1) - 1
            let share = (Double(last) - Double(first) + 1) / range
            expected.append(Double(values.count) * share)
            let label = first == last ? "\(first)" : "\(first)…\(last)"
            bars.append((value: Double(counts[j]), label: first == last ? label : "\(first)",
                         tip: "\(label): \(counts[j]) values (expected \(NumberText.trimmed(expected[j], places: 1)))"))
        }
        return SVGChart.bars(bars, expected: expected, title: "Histogram of \(values.count) values over \(min)…\(max)",
                             xTitle: "value (\(bins) bin\(bins == 1 ? "" : "s"))", yTitle: "count")
    }

    /// One bar per value up to `barLimit` values; above, equal bins when a bin count from 20
    /// to `barLimit` divides the range, else `barLimit` bins whose sizes differ by one (the
    /// expected line shows the difference).
    static func binCount(_ range: Double) -> Int {
        if range <= Double(barLimit) { return Int(range) }
        if range < 1e15, let even = stride(from: barLimit, through: 20, by: -1).first(where: { Int(range) % $0 == 0 }) { return even }
        return barLimit
    }

    /// Value n against value n + 1, at most `pointLimit` pairs taken evenly; on small ranges
    /// each point is spread a little within its cell so repeats show as density.
    static func lagPlot(_ values: [Int], min: Int, max: Int) -> String {
        let pairs = Swift.max(0, values.count - 1)
        let shownPairs = Swift.min(pairs, pointLimit)
        let range = Double(max) - Double(min) + 1
        let jitter = range <= Double(barLimit)
        var points: [(x: Double, y: Double)] = []
        for k in 0..<shownPairs {
            let index = k * pairs / shownPairs
            var x = Double(values[index])
            var y = Double(values[index + 1])
            if jitter {
                x += spread(index, 0x9E37_79B9_7F4A_7C15)
                y += spread(index, 0xC2B2_AE3D_27D4_EB4F)
            }
            points.append((x, y))
        }
        let lower = Double(min) - (jitter ? 0.5 : 0)
        let upper = Double(max) + (jitter ? 0.5 : 0)
        let shown = points.count < pairs ? "\(points.count) of \(pairs) pairs, taken evenly" : "\(pairs) pairs"
        return SVGChart.scatter(points, xRange: lower...upper, yRange: lower...upper,
                                title: "Lag plot: each value against the next (\(shown))", xTitle: "value n", yTitle: "value n + 1")
    }

    /// A fixed offset in [-0.35, 0.35) for point `index`: a multiplicative hash, so the same
    /// sample always draws the same picture.
    static func spread(_ index: Int, _ multiplier: UInt64) -> Double {
        let hash = (UInt64(index) &+ 1) &* multiplier
        return Double(hash >> 40) / Double(1 << 24) * 0.7 - 0.35
    }

    /// The mean of each position in a batch with a ±2 standard-error whisker, against the
    /// uniform mean: a position that is always small or always large stands out.
    static func positions(_ batches: [[Int]], min: Int, max: Int) -> String {
        let width = Swift.min(positionLimit, batches.map(\.count).max() ?? 0)
        let range = Double(max) - Double(min) + 1
        let middle = (Double(min) + Double(max)) / 2
        let sd = ((range * range - 1) / 12).squareRoot()
        var items: [(mean: Double, spread: Double, tip: String)] = []
        for position in 0..<width {
            let column = batches.compactMap { position < $0.count ? Double($0[position]) : nil }
            let mean = column.reduce(0, +) / Double(Swift.max(1, column.count))
            let spread = 2 * sd / Double(Swift.max(1, column.count)).squareRoot()
            items.append((mean, spread, "position \(position + 1): mean \(NumberText.significant(mean)) of \(column.count) values (uniform: \(NumberText.significant(middle)) ± \(NumberText.significant(spread)))"))
        }
        let deviation = items.map { abs($0.mean - middle) + $0.spread }.max() ?? 1
        let half = Swift.max(deviation * 1.3, 1e-6)
        return SVGChart.whiskers(items, reference: middle, yRange: (middle - half)...(middle + half),
                                 title: "Mean per position in the batch (\(batches.count) batches; whiskers ±2 standard errors)",
                                 xTitle: "position in the batch", yTitle: "mean value")
    }
}

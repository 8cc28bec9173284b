/// Small inline-SVG charts for the HTML reports: no script, no fonts fetched, scaled by the
/// viewBox so a phone shows the whole chart. Every text that reaches the SVG is escaped here.
package enum SVGChart {
    /// One bar: its height, its axis label (may be empty) and the tooltip a pointer shows.
    package typealias Bar = (value: Double, label: String, tip: String)

    static let width = 480.0
    static let height = 220.0
    /// Left, right, top and bottom margins of the plot area.
    static let (left, right, top, bottom) = (44.0, 12.0, 12.0, 40.0)

    /// A bar chart; `expected`, when given, is drawn per bar as a dashed step line.
    package static func bars(_ bars: [Bar], expected: [Double]? = nil, title: String, xTitle: String, yTitle: String) -> String {
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let highest = (max(1, (bars.map(\.value) + (expected ?? [])).max() ?? 1) * 1.1).rounded(.up)
        let step = plotWidth / Double(max(1, bars.count))
        func y(_ value: Double) -> Double { top + plotHeight - value / highest * plotHeight }
        var svg = open(title: title)
        svg += axes(yMax: highest, xTitle: xTitle, yTitle: yTitle)
        let labelEvery = max(1, Int((Double(bars.count) / 8).rounded(.up)))
        for (index, bar) in bars.enumerated() {
            let x = left + Double(index) * step
            let barTop = y(bar.value)
            svg += "<rect class=\"column\" x=\"\(n(x + step * 0.1))\" y=\"\(n(barTop))\" width=\"\(n(max(0.5, step * 0.8)))\" height=\"\(n(top + plotHeight - barTop))\">"
            svg += "<title>\(TextEscaping.html(bar.tip))</title></rect>"
            if !bar.label.isEmpty && (index % labelEvery == 0 || index == bars.count - 1) {
                svg += "<text class=\"tick\" x=\"\(n(x + step / 2))\" y=\"\(n(top + plotHeight + 14))\" text-anchor=\"middle\">\(TextEscaping.html(bar.label))</text>"
            }
        }
        if let expected, expected.count == bars.count {
            var path = ""
            for (index, value) in expected.enumerated() {
                let x = left + Double(index) * step
                path += (index == 0 ? "M" : "L") + "\(n(x)) \(n(y(value)))H\(n(x + step))"
            }
            svg += "<path class=\"expected\" d=\"\(path)\"><title>expected count under uniformity</title></path>"
        }
        return svg + "</svg>"
    }

    /// A scatter plot of `points` over [xMin, xMax] × [yMin, yMax], drawn as one path of small
    /// squares; `diagonal` adds the y = x line.
    package static func scatter(_ points: [(x: Double, y: Double)], xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                                title: String, xTitle: String, yTitle: String) -> String {
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let xSpan = max(1e-9, xRange.upperBound - xRange.lowerBound)
        let ySpan = max(1e-9, yRange.upperBound - yRange.lowerBound)
        var svg = open(title: title)
        svg += axes(yMax: nil, xTitle: xTitle, yTitle: yTitle)
        svg += tick(xRange.lowerBound, x: left, y: top + plotHeight + 14, anchor: "start")
        svg += tick(xRange.upperBound, x: left + plotWidth, y: top + plotHeight + 14, anchor: "end")
        svg += tick(yRange.lowerBound, x: left - 4, y: top + plotHeight, anchor: "end")
        svg += tick(yRange.upperBound, x: left - 4, y: top + 10, anchor: "end")
        var path = ""
        path.reserveCapacity(points.count * 24)
        for point in points {
            let x = left + (point.x - xRange.lowerBound) / xSpan * plotWidth
            let y = top + plotHeight - (point.y - yRange.lowerBound) / ySpan * plotHeight
            path += "M\(n(x - 1)) \(n(y - 1))h2v2h-2z"
        }
        svg += "<path class=\"points\" d=\"\(path)\"/>"
        return svg + "</svg>"
    }

    /// Points with whiskers (a mean and its ±2 standard-error band per position) and a dashed
    /// reference line at `reference`.
    package static func whiskers(_ items: [(mean: Double, spread: Double, tip: String)], reference: Double,
                                 yRange: ClosedRange<Double>, title: String, xTitle: String, yTitle: String) -> String {
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let span = max(1e-9, yRange.upperBound - yRange.lowerBound)
        func y(_ value: Double) -> Double { top + plotHeight - (min(yRange.upperBound, max(yRange.lowerBound, value)) - yRange.lowerBound) / span * plotHeight }
        let step = plotWidth / Double(max(1, items.count))
        var svg = open(title: title)
        svg += axes(yMax: nil, xTitle: xTitle, yTitle: yTitle)
        svg += tick(yRange.lowerBound, x: left - 4, y: top + plotHeight, anchor: "end")
        svg += tick(yRange.upperBound, x: left - 4, y: top + 10, anchor: "end")
        svg += "<path class=\"expected\" d=\"M\(n(left)) \(n(y(reference)))H\(n(left + plotWidth))\"><title>expected mean</title></path>"
        let labelEvery = max(1, Int((Double(items.count) / 10).rounded(.up)))
        for (index, item) in items.enumerated() {
            let x = left + (Double(index) + 0.5) * step
            svg += "<g class=\"whisker\"><title>\(TextEscaping.html(item.tip))</title>"
            svg += "<path d=\"M\(n(x)) \(n(y(item.mean - item.spread)))V\(n(y(item.mean + item.spread)))\"/>"
            svg += "<circle cx=\"\(n(x))\" cy=\"\(n(y(item.mean)))\" r=\"3\"/></g>"
            if index % labelEvery == 0 || index == items.count - 1 {
                svg += "<text class=\"tick\" x=\"\(n(x))\" y=\"\(n(top + plotHeight + 14))\" text-anchor=\"middle\">\(index + 1)</text>"
            }
        }
        return svg + "</svg>"
    }

    /// The start of a self-contained page: doctype, charset, phone viewport, title and styles.
    package static func pageHead(title: String, css: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(TextEscaping.html(title))</title>
        <style>\(css)</style>
        </head>
        <body>

        """
    }

    static func open(title: String) -> String {
        "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"\(TextEscaping.html(title))\"><title>\(TextEscaping.html(title))</title>"
    }

    /// The two axes and their titles; with `yMax`, the y axis is labelled 0 and `yMax`.
    static func axes(yMax: Double?, xTitle: String, yTitle: String) -> String {
        let plotBottom = height - bottom
        var svg = "<path class=\"axis\" d=\"M\(n(left)) \(n(top))V\(n(plotBottom))H\(n(width - right))\"/>"
        svg += "<text class=\"axis-title\" x=\"\(n((left + width - right) / 2))\" y=\"\(n(height - 6))\" text-anchor=\"middle\">\(TextEscaping.html(xTitle))</text>"
        svg += "<text class=\"axis-title\" transform=\"translate(12 \(n((top + plotBottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(TextEscaping.html(yTitle))</text>"
        if let yMax {
            svg += tick(0, x: left - 4, y: plotBottom, anchor: "end")
            svg += tick(yMax, x: left - 4, y: top + 10, anchor: "end")
        }
        return svg
    }

    static func tick(_ value: Double, x: Double, y: Double, anchor: String) -> String {
        "<text class=\"tick\" x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\">\(NumberText.significant(value))</text>"
    }

    /// A coordinate with one decimal at most: short paths, and never `nan` or `inf` in the SVG.
    static func n(_ value: Double) -> String { NumberText.trimmed(value.isFinite ? value : 0, places: 1) }

    /// The CSS the charts need, for any page that embeds them.
    package static let css = """
    svg.chart { width: 100%; max-width: 480px; height: auto; background: #fff; }
    svg .axis { stroke: #616161; fill: none; } svg .tick, svg .axis-title { font: 11px system-ui, sans-serif; fill: #424242; }
    svg .column { fill: #64b5f6; } svg .expected { stroke: #d32f2f; stroke-width: 1.5; stroke-dasharray: 5 3; fill: none; }
    svg .points { fill: #1565c0; fill-opacity: .35; } svg .whisker path { stroke: #1565c0; stroke-width: 2; } svg .whisker circle { fill: #1565c0; }

    """
}

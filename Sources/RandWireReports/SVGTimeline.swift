import RandWireConformance

/// One connection as a sequence diagram: the client's lifeline left, the server's right, time
/// downwards in milliseconds; writes, reads, FIN and RST as arrows, in the order they happened.
enum SVGTimeline {
    /// Events drawn per connection; the JSON report keeps them all.
    static let eventLimit = 40
    static let width = 640.0
    static let (timeX, clientX, serverX) = (62.0, 120.0, 560.0)
    static let top = 44.0
    /// The most vertical space the time axis spreads over (before events push each other
    /// down), and the pixels per millisecond below that.
    static let (span, pixelsPerMillisecond) = (260.0, 8.0)
    static let minimumGap = 22.0
    /// Characters of an arrow label; the full text is its tooltip.
    static let labelLimit = 64

    enum Direction { case toServer, toClient, atClient }

    /// How an event is drawn: direction, CSS class and label. `harnessIsServer`: a client check,
    /// where the checker plays the server and the program judged is the client (right).
    static func arrow(_ event: TranscriptEvent, harnessIsServer: Bool = false) -> (Direction, String, String) {
        let text = event.displayText ?? ""
        let peer = harnessIsServer ? "client" : "server"
        switch event.kind {
        case .connect: return (harnessIsServer ? .toClient : .toServer, "connect", harnessIsServer ? "the client connects" : "connect")
        case .sent: return (.toServer, "sent", text)
        case .received: return (.toClient, "received", text)
        case .halfClose: return (.toServer, "fin", harnessIsServer ? "FIN (harness half-closes)" : "FIN (client half-closes)")
        case .eof: return (.toClient, "fin", harnessIsServer && !text.isEmpty ? "FIN: " + text : "FIN (\(peer) closed: EOF)")
        case .reset: return (.toClient, "rst", "RST (connection reset)")
        case .close: return (.toServer, "fin", "close (FIN)")
        case .abort: return (.toServer, "rst", (harnessIsServer ? "RST (harness resets)" : "RST (client aborts)") + (text.isEmpty ? "" : ": " + text))
        case .timeout: return (.atClient, "timeout", "timeout" + (text.isEmpty ? "" : ": " + text))
        case .note: return (.atClient, "note", text)
        case .error: return (.atClient, "error", "error" + (text.isEmpty ? "" : ": " + text))
        }
    }

    static func render(_ transcript: Transcript, title: String, harnessIsServer: Bool = false) -> String {
        let events = Array(transcript.events.prefix(eventLimit))
        let first = events.first?.atMilliseconds ?? 0
        let duration = max(1e-3, (events.last?.atMilliseconds ?? 0) - first)
        let scale = min(span, duration * pixelsPerMillisecond) / duration
        var ys: [Double] = []
        for event in events {
            let linear = top + max(0, event.atMilliseconds - first) * scale
            ys.append(max(linear, (ys.last ?? top - minimumGap) + minimumGap))
        }
        let omitted = transcript.events.count - events.count
        let height = (ys.last ?? top) + (omitted > 0 ? 44 : 24)
        let n = SVGChart.n
        var svg = "<svg class=\"timeline\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"\(TextEscaping.html(title))\"><title>\(TextEscaping.html(title))</title>"
        // The checker is always on the left: the client of a server check, the server of a client check.
        let checker = harnessIsServer ? "harness (server)" : (transcript.localPort.map { "client :\($0)" } ?? "client")
        svg += "<text class=\"party\" x=\"\(n(clientX))\" y=\"16\" text-anchor=\"middle\">\(checker)</text>"
        svg += "<text class=\"party\" x=\"\(n(serverX))\" y=\"16\" text-anchor=\"middle\">\(harnessIsServer ? "client program" : "server")</text>"
        svg += "<text class=\"time\" x=\"\(n(timeX))\" y=\"16\" text-anchor=\"end\">ms</text>"
        let bottom = height - 10
        svg += "<path class=\"lifeline\" d=\"M\(n(clientX)) 24V\(n(bottom))M\(n(serverX)) 24V\(n(bottom))\"/>"
        svg += "<path class=\"time-axis\" d=\"M\(n(timeX + 6)) 24V\(n(bottom))\"/>"
        for (event, y) in zip(events, ys) {
            let (direction, kind, label) = arrow(event, harnessIsServer: harnessIsServer)
            let time = NumberText.trimmed(event.atMilliseconds, places: event.atMilliseconds < 10 ? 2 : 1)
            let tip = "\(time) ms \(event.kind.rawValue): \(label)"
            svg += "<g class=\"event \(kind)\"><title>\(TextEscaping.html(tip))</title>"
            svg += "<text class=\"time\" x=\"\(n(timeX))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(time)</text>"
            svg += "<path class=\"tick\" d=\"M\(n(timeX + 3)) \(n(y))H\(n(clientX))\"/>"
            let shown = shorten(label)
            switch direction {
            case .toServer, .toClient:
                let (from, to) = direction == .toServer ? (clientX, serverX) : (serverX, clientX)
                let head = direction == .toServer ? -8.0 : 8.0
                svg += "<path class=\"arrow\" d=\"M\(n(from)) \(n(y))H\(n(to))M\(n(to + head)) \(n(y - 4))L\(n(to)) \(n(y))L\(n(to + head)) \(n(y + 4))\"/>"
                svg += "<text class=\"label\" x=\"\(n((clientX + serverX) / 2))\" y=\"\(n(y - 4))\" text-anchor=\"middle\">\(TextEscaping.html(shown))</text>"
            case .atClient:
                svg += "<path class=\"mark\" d=\"M\(n(clientX - 5)) \(n(y - 5))l10 10m0 -10l-10 10\"/>"
                svg += "<text class=\"label\" x=\"\(n(clientX + 10))\" y=\"\(n(y + 4))\">\(TextEscaping.html(shown))</text>"
            }
            svg += "</g>"
        }
        if omitted > 0 {
            svg += "<text class=\"time\" x=\"\(n(clientX))\" y=\"\(n(height - 14))\">… \(omitted) more event\(omitted == 1 ? "" : "s") in the JSON report</text>"
        }
        return svg + "</svg>"
    }

    static func shorten(_ text: String) -> String {
        text.count <= labelLimit ? text : String(text.prefix(labelLimit - 1)) + "…"
    }

    static let css = """
    svg.timeline { max-width: 100%; height: auto; background: #fff; font: 11px ui-monospace, Menlo, Consolas, monospace; }
    svg.timeline .party { font: 600 12px system-ui, sans-serif; fill: #212121; }
    svg.timeline .lifeline { stroke: #9e9e9e; stroke-width: 2; } svg.timeline .time-axis { stroke: #bdbdbd; }
    svg.timeline .time { fill: #616161; } svg.timeline .tick { stroke: #eeeeee; stroke-dasharray: 2 2; }
    svg.timeline .arrow { fill: none; stroke-width: 1.5; } svg.timeline .label { fill: #212121; }
    svg.timeline .sent .arrow, svg.timeline .connect .arrow { stroke: #1565c0; } svg.timeline .received .arrow { stroke: #2e7d32; }
    svg.timeline .fin .arrow { stroke: #6a1b9a; stroke-dasharray: 4 2; } svg.timeline .rst .arrow { stroke: #c62828; stroke-width: 2.5; }
    svg.timeline .rst .label, svg.timeline .error .label { fill: #c62828; font-weight: 700; }
    svg.timeline .mark { stroke: #e65100; stroke-width: 2; } svg.timeline .timeout .label, svg.timeline .note .label { fill: #e65100; }

    """
}

import Foundation

/// Headless Chromium for tests that look at a page as a reader would: screenshots, and a probe
/// of the laid-out page (what is visible, how big each SVG is, where the timeline arrows sit).
/// The pages under test run no script; the probe is added to a copy of the page.
package enum HeadlessBrowser {
    /// `chromium` (Debian) or `chromium-browser` (Ubuntu, Alpine) on PATH.
    package static let executable: String? = ["chromium", "chromium-browser"].lazy.compactMap { ManagedProcess.findExecutable($0) }.first

    package static var available: Bool { executable != nil }

    /// Why the browser tests are skipped.
    package static let missing = "headless Chromium is not on PATH (Debian: apt-get install chromium; .ci/run installs it when it runs as root)"

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// What the probe reads from the laid-out page.
    package struct Probe: Decodable, Sendable {
        package struct Box: Decodable, Sendable {
            package let className: String
            package let width: Double
            package let height: Double
        }

        package struct Element: Decodable, Sendable {
            package let text: String
            package let visible: Bool
            package let top: Double
        }

        /// Every `svg` element's rendered box.
        package let svgs: [Box]
        /// The first `h1`: the verdict on a report page.
        package let heading: Element?
        /// Per timeline, its events in document order: CSS class and the arrow's top on screen.
        package let timelines: [[Element]]
        /// SVG rectangles whose drawn height is not the one written (a page style won).
        package let distorted: [String]
        /// The right edge of the content against the page's width: a phone must not scroll
        /// sideways (what sits in a box that scrolls on its own is left out).
        package let scrollWidth: Double
        package let innerWidth: Double
        /// The page's text as laid out (`innerText`, so hidden text is absent).
        package let text: String
        /// The browser's console lines (errors above all), read from its log.
        package var console: [String] = []

        enum CodingKeys: String, CodingKey { case svgs, heading, timelines, distorted, scrollWidth, innerWidth, text }

        /// What a reader would see broken: an SVG drawn with no size, a first heading that is
        /// not `heading` or not visible near the top, a page a phone must scroll sideways, a
        /// console line.
        package func problems(heading expected: String?) -> [String] {
            var problems = svgs.enumerated().filter { $0.element.width < 1 || $0.element.height < 1 }
                .map { "svg \($0.offset) (\($0.element.className)) is \($0.element.width)×\($0.element.height)" }
            problems += distorted.prefix(3)
            if let expected {
                if heading?.text != expected { problems.append("the first heading is \(heading?.text ?? "missing"), not \(expected)") }
                if heading?.visible != true { problems.append("the verdict is not visible") }
                if let top = heading?.top, top > 200 { problems.append("the verdict starts \(top) px down") }
            }
            if scrollWidth > innerWidth + 1 { problems.append("the page is \(scrollWidth) px wide in a \(innerWidth) px window") }
            return problems + console.map { "console: \($0)" }
        }
    }

    /// A page seen at a desktop and a phone width.
    package struct Rendering: Sendable {
        package let desktop: Probe
        package let phone: Probe
        package let desktopPNG: Data
        package let phonePNG: Data

        /// The problems at either width, each prefixed with the width.
        package func problems(heading: String?) -> [String] {
            desktop.problems(heading: heading).map { "1280 px: " + $0 } + phone.problems(heading: heading).map { "390 px: " + $0 }
        }
    }

    /// Writes `html` as `name.html` in `directory`, probes it at 1280 and 390 px and takes a
    /// 2000 px tall screenshot at each width (`name-desktop.png`, `name-phone.png`, also copied
    /// to `keep` when given).
    package static func render(_ html: String, name: String, in directory: URL, keep: URL? = nil) throws -> Rendering {
        let page = directory.appendingPathComponent(name + ".html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        var probes: [Probe] = []
        var pngs: [Data] = []
        for (width, label) in [(1280, "desktop"), (390, "phone")] {
            probes.append(try probe(html, width: width, in: directory))
            let shown = directory.appendingPathComponent("\(name)-\(label).html")
            try atWidth(html, width).write(to: shown, atomically: true, encoding: .utf8)
            let png = try screenshot(shown, width: width, height: 2000, to: directory.appendingPathComponent("\(name)-\(label).png"))
            if let keep { try? png.write(to: keep.appendingPathComponent("\(name)-\(label).png")) }
            pngs.append(png)
        }
        return Rendering(desktop: probes[0], phone: probes[1], desktopPNG: pngs[0], phonePNG: pngs[1])
    }

    /// A PNG's signature, and more than a blank page's few kilobytes.
    package static func looksRendered(_ png: Data) -> Bool {
        png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000
    }

    static let probeScript = """
    <script>
    (function () {
      function visible(e) {
        var r = e.getBoundingClientRect(), s = getComputedStyle(e);
        return r.width > 0 && r.height > 0 && s.visibility === 'visible' && s.display !== 'none' && parseFloat(s.opacity) > 0;
      }
      // The right edge of the page's content, leaving out what sits in a scrolling box.
      function widest() {
        var right = 0;
        document.querySelectorAll('body *').forEach(function (e) {
          if (e.closest('svg') && e.tagName.toLowerCase() !== 'svg') return;
          for (var a = e.parentElement; a && a !== document.body; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== 'visible') return;
          }
          right = Math.max(right, e.getBoundingClientRect().right);
        });
        return right;
      }
      // SVG shapes drawn other than their attributes say (a page style overriding a rect's height).
      function distorted() {
        var out = [];
        document.querySelectorAll('svg').forEach(function (s) {
          var box = s.viewBox && s.viewBox.baseVal, r = s.getBoundingClientRect();
          if (!box || !box.width || !r.width) return;
          var k = r.width / box.width;
          s.querySelectorAll('rect').forEach(function (rect) {
            var want = parseFloat(rect.getAttribute('height')) * k, got = rect.getBoundingClientRect().height;
            if (Math.abs(want - got) > 1) out.push((s.getAttribute('class') || 'svg') + ': a rect drawn ' + got.toFixed(1) + ' px tall, written ' + want.toFixed(1));
          });
        });
        return out;
      }
      var h1 = document.querySelector('h1');
      var out = {
        svgs: Array.prototype.map.call(document.querySelectorAll('svg'), function (s) {
          var r = s.getBoundingClientRect();
          return { className: s.getAttribute('class') || '', width: r.width, height: r.height };
        }),
        heading: h1 ? { text: h1.innerText, visible: visible(h1), top: h1.getBoundingClientRect().top } : null,
        timelines: Array.prototype.map.call(document.querySelectorAll('details[open] svg.timeline'), function (s) {
          return Array.prototype.map.call(s.querySelectorAll('g.event'), function (g) {
            var arrow = g.querySelector('.arrow, .mark');
            return { text: g.getAttribute('class'), visible: visible(arrow), top: arrow.getBoundingClientRect().top };
          });
        }),
        distorted: distorted(),
        scrollWidth: widest(),
        innerWidth: document.documentElement.getBoundingClientRect().width,
        text: document.body.innerText
      };
      var pre = document.createElement('pre');
      pre.id = 'randwire-probe';
      pre.textContent = encodeURIComponent(JSON.stringify(out));
      document.body.appendChild(pre);
    })();
    </script>
    """

    /// Runs the browser on `page` (a file URL) with a throwaway profile, no network name
    /// resolution, and a deadline; returns its stdout and stderr.
    static func run(_ arguments: [String], page: URL, timeout: Duration = .seconds(90)) throws -> (output: String, log: String) {
        guard let executable else { throw Failure(description: missing) }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("randwire-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let common = [
            "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
            "--user-data-dir=\(profile.path)", "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
        ]
        let process = try ManagedProcess.start(executable, common + arguments + [page.absoluteString])
        guard let code = process.waitForExit(timeout: timeout) else {
            process.terminate()
            throw Failure(description: "\(executable) did not finish within \(timeout): \(process.standardError.suffix(2000))")
        }
        guard code == 0 else {
            throw Failure(description: "\(executable) exited \(code): \(process.standardError.suffix(2000))")
        }
        return (process.allStandardOutput, process.standardError)
    }

    /// A PNG of `page` in a window `width` × `height`, written to `png`; returns its bytes.
    package static func screenshot(_ page: URL, width: Int, height: Int, to png: URL) throws -> Data {
        try? FileManager.default.removeItem(at: png)
        _ = try run(["--screenshot=\(png.path)", "--window-size=\(width),\(height)"], page: page)
        return try Data(contentsOf: png)
    }

    /// Headless Chromium's narrowest window: narrower layouts are made by giving the page's
    /// root element the width.
    static let narrowestWindow = 500

    /// `html` laid out `width` CSS pixels wide even below the narrowest window (a phone).
    static func atWidth(_ html: String, _ width: Int) -> String {
        guard width < narrowestWindow, let head = html.range(of: "</head>") else { return html }
        return html.replacingCharacters(in: head, with: "<style>html { width: \(width)px; }</style>\n</head>")
    }

    /// Lays `html` out `width` pixels wide (a copy with the probe added, next to `directory`'s
    /// other files) and reads it.
    package static func probe(_ html: String, width: Int, in directory: URL) throws -> Probe {
        let html = atWidth(html, width)
        let copy = directory.appendingPathComponent("probe-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: copy) }
        guard let end = html.range(of: "</body>", options: .backwards) else { throw Failure(description: "the page has no </body>") }
        try html.replacingCharacters(in: end, with: probeScript + "\n</body>").write(to: copy, atomically: true, encoding: .utf8)
        let (dom, log) = try run(["--dump-dom", "--window-size=\(max(width, narrowestWindow)),2000"], page: copy)
        guard let start = dom.range(of: "<pre id=\"randwire-probe\">"),
              let stop = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex),
              let json = String(dom[start.upperBound..<stop.lowerBound]).removingPercentEncoding else {
            throw Failure(description: "the probe left no result in the page: \(dom.suffix(500)) \(log.suffix(1000))")
        }
        var probe = try JSONDecoder().decode(Probe.self, from: Data(json.utf8))
        probe.console = log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return probe
    }
}

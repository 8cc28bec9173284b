import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RandWireConformance
@testable import RandWireReports
import Testing

/// Parses XML into a small tree so tests can assert on the JUnit structure.
final class XMLTree: NSObject, XMLParserDelegate {
    final class Node {
        let name: String
        let attributes: [String: String]
        var children: [Node] = []
        var text = ""
        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }
        func all(_ name: String) -> [Node] { children.filter { $0.name == name } }
        func descendants(_ name: String) -> [Node] { children.flatMap { ($0.name == name ? [$0] : []) + $0.descendants(name) } }
    }

    var stack: [Node] = [Node(name: "#document", attributes: [:])]
    var error: (any Error)?

    static func parse(_ xml: String) throws -> Node {
        let tree = XMLTree()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = tree
        let ok = parser.parse()
        if let error = tree.error ?? parser.parserError { throw error }
        try #require(ok)
        return tree.stack[0]
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        let node = Node(name: elementName, attributes: attributes)
        stack.last!.children.append(node)
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last!.text += string }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { error = parseError }
}

@Suite struct JUnitReportTests {
    @Test func countsAndAttributes() throws {
        let report = SampleReports.report()
        let xml = ReportRenderer.render(report, format: .junit, options: ReportOptions())
        let document = try XMLTree.parse(xml)
        let root = try #require(document.children.first)
        #expect(root.name == "testsuites")
        #expect(root.attributes["name"] == "randwire")
        #expect(root.attributes["tests"] == "8")
        #expect(root.attributes["failures"] == "2")   // request.hostile, random.endpoints
        #expect(root.attributes["errors"] == "1")     // limit.connection-deadline (not judged)
        #expect(root.attributes["skipped"] == "2")    // framing.no-lf, known failure lifecycle.keeps-serving
        #expect(root.attributes["time"] == "3.457")

        let suites = root.all("testsuite")
        #expect(suites.map { $0.attributes["name"]! } == ["§3 Transport and lifecycle", "§5 Request framing", "§6.3 request", "§7 Randomness", "§8 Timeouts and limits"])
        var total = 0
        for suite in suites {
            let cases = suite.all("testcase")
            total += cases.count
            #expect(suite.attributes["tests"] == String(cases.count))
            #expect(suite.attributes["failures"] == String(cases.count { !$0.all("failure").isEmpty }))
            #expect(suite.attributes["errors"] == String(cases.count { !$0.all("error").isEmpty }))
            #expect(suite.attributes["skipped"] == String(cases.count { !$0.all("skipped").isEmpty }))
            let properties = suite.all("properties").first?.all("property") ?? []
            let values = Dictionary(properties.map { ($0.attributes["name"]!, $0.attributes["value"]!) }, uniquingKeysWith: { a, _ in a })
            #expect(values["target"] == "127.0.0.1:8000")
            #expect(values["profile"] == "request")
            #expect(values["seed"] == "42")
            #expect(values["score"] == Rubric.default.score(report).fraction)
            #expect(values["warning.1"]?.contains("<xml> &") == true)
            for testcase in cases {
                #expect(testcase.attributes["name"]?.isEmpty == false)
                #expect(testcase.attributes["classname"]?.hasPrefix("randwire.request.") == true)
                #expect(testcase.attributes["time"] != nil)
                let outcomes = testcase.all("failure").count + testcase.all("error").count + testcase.all("skipped").count
                #expect(outcomes <= 1)
            }
        }
        #expect(total == 8)

        let all = root.descendants("testcase")
        func testcase(_ id: String) throws -> XMLTree.Node { try #require(all.first { $0.attributes["name"] == id }) }

        let hostile = try testcase("request.hostile")
        #expect(hostile.attributes["classname"] == "randwire.request.6_3")
        let failure = try #require(hostile.all("failure").first)
        #expect(failure.attributes["type"] == "MUST")
        #expect(failure.attributes["message"]?.contains("<b> & \"quote\" 'apos'") == true)
        #expect(failure.text.contains("sent:     \"<&\\0\\xFF\\x1B\\n\""))
        #expect(failure.text.contains("port 50003"))
        #expect(failure.text.contains("REQ-1 (MUST)"))
        #expect(failure.text.contains("1 more connection in the JSON report"))

        let warn = try testcase("format.no-trailing-newline")
        #expect(warn.all("failure").isEmpty && warn.all("skipped").isEmpty)
        #expect(warn.all("system-out").first?.text.hasPrefix("WARNING") == true)

        #expect(try testcase("limit.connection-deadline").all("error").first?.attributes["type"] == "not-judged")
        #expect(try testcase("framing.no-lf").all("skipped").first?.attributes["message"] == "deselected by --only/--skip")
        #expect(try testcase("lifecycle.keeps-serving").all("skipped").first?.attributes["message"]?.hasPrefix("known failure") == true)
        #expect(try testcase("lifecycle.close").children.isEmpty)
        #expect(try testcase("random.uniformity").all("system-out").first?.text.contains("p = 0.41") == true)
    }

    @Test func noCharacterIllegalInXML() {
        let xml = ReportRenderer.render(SampleReports.report(), format: .junit, options: ReportOptions())
        let illegal = xml.unicodeScalars.filter { TextEscaping.isXMLIllegal($0) }
        #expect(illegal.isEmpty)
        #expect(!xml.contains("&#1;") && !xml.contains("&#27;"))
    }

    @Test func unreachableRunIsAllErrors() throws {
        let results = SampleReports.results().map { result -> CheckResult in
            var copy = result
            copy.status = .notJudged
            copy.message = "not judged: the target could not be reached"
            copy.knownFailure = false
            return copy
        }
        let xml = ReportRenderer.render(SampleReports.report(results: results, unreachable: true), format: .junit, options: ReportOptions())
        let root = try #require(try XMLTree.parse(xml).children.first)
        #expect(root.attributes["errors"] == "8")
        #expect(root.attributes["failures"] == "0")
    }
}

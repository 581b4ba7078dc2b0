import Foundation
import Testing
@testable import Previewer
@testable import Responder
@testable import ResponderCore

/// The route table: every documented path, its parameters and its refusals.
@Suite struct RoutesTests {
    @Test("every documented path has a route", arguments: [
        ("GET", "/"), ("GET", "/ping"), ("GET", "/hello"), ("POST", "/images/info"),
        ("POST", "/images/prepare_jpeg"), ("POST", "/images/fit/200"),
        ("POST", "/images/rescale_avatar"), ("POST", "/images/resize_avatar"), ("GET", "/status"), ("GET", "/metrics"),
    ])
    func routes(_ method: String, _ path: String) {
        guard case .success = Routes.table.resolve(method: method, path: path).target else {
            Issue.record("no route for \(method) \(path)")
            return
        }
    }

    @Test func fit_passesTheBoxAsParameter() throws {
        guard case .success(let (_, parameter)) = Routes.table.resolve(method: "POST", path: "/images/fit/640").target else {
            Issue.record("no route")
            return
        }
        #expect(parameter == "640")
    }

    @Test func unknownPath_isNotFound_andWrongMethod_isNotAllowed() {
        guard case .failure(.notFound) = Routes.table.resolve(method: "GET", path: "/nope").target else { Issue.record("not 404"); return }
        guard case .failure(.methodNotAllowed(let allowed)) = Routes.table.resolve(method: "POST", path: "/ping").target else { Issue.record("not 405"); return }
        #expect(allowed == ["GET", "HEAD"])
    }

    @Test func labels_comeFromTheTable_operatorPagesIncluded_unroutedLast() {
        let labels = Routes.table.labels
        #expect(labels.last == "unrouted")
        #expect(labels.contains("status") && labels.contains("metrics"))
        #expect(Set(labels.dropLast()) == Set(Routes.table.routes.map(\.label)))
        #expect(PoolReport.images.labels == labels)
    }

    @Test("box values", arguments: [("1", 1), ("4096", 4096), ("300/", 300)])
    func parseBox_accepts(_ text: String, _ expected: Int) throws {
        #expect(try FitEndpoint.parseBox(text, maxBox: 4096) == expected)
    }

    @Test("bad box values", arguments: ["0", "-1", "4097", "1e3", "abc", "", "+5", "99999999999999999999"])
    func parseBox_rejects(_ text: String) {
        #expect(throws: ServiceError.self) { try FitEndpoint.parseBox(text, maxBox: 4096) }
    }

    @Test func query_isPercentDecoded_firstValueWins() {
        let query = Request.parseQuery("simple=1&name=a%20b+c&simple=0")
        #expect(query["simple"] == "1")
        #expect(query["name"] == "a b c")
    }
}

/// The link-preview pool's table: its route and its operator pages, under the same core.
@Suite struct PreviewRoutesTests {
    @Test func thePreviewPoolsRoutes_andItsOperatorPages() {
        #expect(PreviewRoutes.table.labels == ["preview", "status", "metrics", "unrouted"])
        #expect(PreviewRoutes.table.routes.map(\.documentedPath) == ["/links/preview", "/links/status", "/links/metrics"])
        #expect(PreviewRoutes.report.labels == PreviewRoutes.table.labels)
        guard case .failure(.methodNotAllowed(let allowed)) = PreviewRoutes.table.resolve(method: "POST", path: "/links/status").target
        else { Issue.record("not 405"); return }
        #expect(allowed == ["GET", "HEAD"])
    }
}

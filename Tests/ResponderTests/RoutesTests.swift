import Foundation
import Testing
@testable import Responder
@testable import ResponderCore

/// The route table: every documented path, its parameters and its refusals.
@Suite struct RoutesTests {
    @Test("every documented path has a route", arguments: [
        ("GET", "/"), ("GET", "/ping"), ("GET", "/hello"), ("POST", "/images/info"),
        ("POST", "/images/prepare_jpeg"), ("POST", "/images/fit/200"),
        ("POST", "/images/rescale_avatar"), ("POST", "/images/resize_avatar"),
    ])
    func routes(_ method: String, _ path: String) {
        guard case .success = Routes.route(method: method, path: path).target else {
            Issue.record("no route for \(method) \(path)")
            return
        }
    }

    @Test func fit_passesTheBoxAsParameter() throws {
        guard case .success(let (_, parameter)) = Routes.route(method: "POST", path: "/images/fit/640").target else {
            Issue.record("no route")
            return
        }
        #expect(parameter == "640")
    }

    @Test func unknownPath_isNotFound_andWrongMethod_isNotAllowed() {
        guard case .failure(.notFound) = Routes.route(method: "GET", path: "/nope").target else { Issue.record("not 404"); return }
        guard case .failure(.methodNotAllowed(let allowed)) = Routes.route(method: "POST", path: "/ping").target else { Issue.record("not 405"); return }
        #expect(allowed == ["GET", "HEAD"])
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

import Scoreboard
import Testing
@testable import ResponderCore

/// The one serving core below nginx: matching, the secret, 404 and 405, usage
/// documents, errors, labels, on a table of a made-up pool.
@Suite struct RoutedServiceTests {
    final class Context: PoolContext {
        let scoreboard: Scoreboard? = nil
        let clock: @Sendable () -> Double = { 1000 }
        let limit = 7
    }

    static let table: RouteTable<Context> = RouteTable([
        Route("echo", ["GET", "POST"], .exact("/echo"), usage: .init(unlessQuery: "say") { "echo up to \($0.limit)" }) { request, _ in
            Response(contentType: "text/plain", body: Array((request.query["say"] ?? "posted").utf8))
        },
        Route("item", ["POST"], .prefix("/items/"), parameter: "id") { request, _ in
            Response(contentType: "text/plain", body: Array(request.routeParameter.utf8))
        },
        Route("fail", ["GET"], .exact("/fail")) { _, _ throws(ServiceError) in throw .badParameter("nope") },
    ] + Route<Context>.operatorPages(under: "/pool") { PoolReport(pool: "test", labels: table.labels) })

    func serve(_ service: RoutedService<Context>, _ method: String, _ path: String, query: [String: String] = [:],
               secret: String? = nil) -> (label: String, response: Response, failure: ServiceError?) {
        var request = Request(method: method, path: path, query: query)
        request.workerSecret = secret
        let routed = service.route(method: method, path: path)
        let (response, failure) = routed.respond(request)
        return (Self.table.labels[routed.label], response, failure)
    }

    var open: RoutedService<Context> { RoutedService(table: Self.table, context: Context(), secret: "") }
    var guarded: RoutedService<Context> { RoutedService(table: Self.table, context: Context(), secret: "s3cret") }

    @Test func labels_areTheTablesInOrder_unroutedLast() {
        #expect(Self.table.labels == ["echo", "item", "fail", "status", "metrics", "unrouted"])
        #expect(Self.table.routes.map(\.documentedPath) == ["/echo", "/items/{id}", "/fail", "/pool/status", "/pool/metrics"])
    }

    @Test func aRoute_getsItsParameter_andItsLabel() {
        let (label, response, failure) = serve(open, "POST", "/items/42")
        #expect(label == "item" && failure == nil)
        #expect(response.body == Array("42".utf8))
    }

    @Test func aBareGet_getsTheUsage_aGetWithItsQuery_theWork() {
        let usage = serve(open, "GET", "/echo")
        #expect(String(decoding: usage.response.body, as: UTF8.self).contains("\"usage\":\"echo up to 7\""))
        let work = serve(open, "GET", "/echo", query: ["say": "hi"])
        #expect(work.response.body == Array("hi".utf8))
        #expect(serve(open, "POST", "/echo").response.body == Array("posted".utf8))
    }

    @Test func unknownPaths_are404_wrongMethods_405WithAllow_bothUnrouted() {
        let missing = serve(open, "GET", "/nope")
        #expect(missing.label == "unrouted" && missing.failure == .notFound && missing.response.status == 404)
        let refused = serve(open, "DELETE", "/echo")
        #expect(refused.label == "unrouted" && refused.response.status == 405)
        #expect(refused.response.headers.contains { $0 == ("Allow", "GET, POST") })
    }

    @Test func aHandlersError_becomesTheJSONShape() {
        let (label, response, failure) = serve(open, "GET", "/fail")
        #expect(label == "fail" && failure == .badParameter("nope") && response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("\"code\":\"bad_parameter\""))
    }

    @Test("every route and no route needs the secret once one is set",
          arguments: ["/echo", "/items/1", "/fail", "/pool/status", "/pool/metrics", "/nope"])
    func theSecret_guardsEveryPath(_ path: String) {
        let method = path.hasPrefix("/items/") ? "POST" : "GET"
        for secret in [nil, "", "s3cre", "s3cret!", "S3CRET"] {
            let (_, response, failure) = serve(guarded, method, path, secret: secret)
            #expect(failure == .unauthorized && response.status == 401, "\(path) with \(secret ?? "no secret")")
        }
        let admitted = serve(guarded, method, path, secret: "s3cret")
        #expect(admitted.failure != .unauthorized)
    }

    @Test func operatorPages_areForOperatorsOnly_andNeedAScoreboard() {
        #expect(serve(open, "GET", "/pool/status").failure == .forbidden)
        var request = Request(method: "GET", path: "/pool/metrics")
        request.operatorAccess = true
        let (_, failure) = open.route(method: "GET", path: "/pool/metrics").respond(request)
        #expect(failure == .notImplemented)
    }
}

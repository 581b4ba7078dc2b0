import Foundation
import Testing
@testable import Responder

@Suite struct RoutingTests {
    @Test("every documented path has a route", arguments: [
        ("GET", "/"), ("GET", "/ping"), ("GET", "/hello"), ("POST", "/images/info"),
        ("POST", "/images/prepare_jpeg"), ("POST", "/images/fit/200"),
        ("POST", "/images/rescale_avatar"), ("POST", "/images/resize_avatar"),
    ])
    func routes(_ method: String, _ path: String) {
        guard case .success = Routes.resolve(method: method, path: path) else {
            Issue.record("no route for \(method) \(path)")
            return
        }
    }

    @Test func fit_passesTheBoxAsParameter() throws {
        guard case .success(let (_, parameter)) = Routes.resolve(method: "POST", path: "/images/fit/640") else {
            Issue.record("no route")
            return
        }
        #expect(parameter == "640")
    }

    @Test func unknownPath_isNotFound_andWrongMethod_isNotAllowed() {
        guard case .failure(.notFound) = Routes.resolve(method: "GET", path: "/nope") else { Issue.record("not 404"); return }
        guard case .failure(.methodNotAllowed(let allowed)) = Routes.resolve(method: "POST", path: "/ping") else { Issue.record("not 405"); return }
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

@Suite struct ResponseEncodingTests {
    @Test func base64_matchesFoundation() {
        for length in 0..<40 {
            let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            var out: [UInt8] = []
            Base64.append(data, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == Data(data).base64EncodedString())
            #expect(out.count == Base64.encodedLength(length))
        }
    }

    @Test func jsonWriter_writesValidOrderedJSON() throws {
        var json = JSONWriter()
        json.beginObject()
        json.field("status", "ok")
        json.key("uploaded")
        json.beginObject()
        json.field("size", 3)
        json.field("mime", "image/png")
        json.endObject()
        json.field("message", "quote \" backslash \\ newline \n tab \t bell \u{07}")
        json.key("output")
        json.base64([1, 2, 3])
        json.field("success", true)
        json.endObject()
        let text = String(decoding: json.bytes, as: UTF8.self)
        #expect(text.hasPrefix("{\"status\":\"ok\",\"uploaded\":{\"size\":3,\"mime\":\"image/png\"},"))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any])
        #expect(parsed["message"] as? String == "quote \" backslash \\ newline \n tab \t bell \u{07}")
        #expect(parsed["output"] as? String == "AQID")
    }

    @Test func everyError_hasAStatusCodeAndFixedMessage() {
        let all: [ServiceError] = [
            .noFile, .unsupportedType(detail: "/secret/path"), .notJPEG, .badParameter("box"), .corruptImage(detail: "vips: x"),
            .tooLarge(limit: 1), .tooManyPixels(limit: 1), .tooManyFrames(limit: 1), .timeout, .overloaded,
            .notFound, .methodNotAllowed(allowed: ["GET"]), .notImplemented, .internalError(detail: "/secret/path"),
        ]
        for error in all {
            #expect((400...599).contains(error.status))
            #expect(!error.code.isEmpty)
            #expect(!error.publicMessage.contains("/secret"))
        }
        #expect(ServiceError.internalError(detail: "").code == "internal")
        #expect(ServiceError.tooManyPixels(limit: 1).status == 422)
    }

    @Test func overloaded_carriesRetryAfter() {
        let response = Response.error(.overloaded)
        #expect(response.status == 503)
        #expect(response.headers.contains { $0.0 == "Retry-After" })
    }

    @Test func everyRoute_isInTheOpenAPIDocument_andEveryCodeToo() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let document = try String(contentsOf: root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        for route in Routes.table where route.label != "debug" {
            let path: String
            switch route.path {
            case .exact(let exact): path = exact
            case .prefix(let prefix): path = prefix + "{box}"
            }
            #expect(document.contains("\n  \(path):\n"), "\(path) is missing from docs/openapi.yaml")
        }
        for code in MetricLabels.codes.dropFirst() {
            #expect(document.contains(code), "error code \(code) is missing from docs/openapi.yaml")
        }
    }
}

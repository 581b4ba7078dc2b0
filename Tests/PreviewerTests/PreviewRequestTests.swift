import Testing
@testable import Previewer
@testable import ResponderCore

/// What a preview request says, and how a fetched response's type is read.
@Suite struct PreviewRequestTests {
    static func post(_ body: String, type: String?) -> Request {
        Request(method: "POST", path: "/links/preview", contentType: type, body: Array(body.utf8))
    }

    @Test func theLink_comesFromJSON_aForm_orTheQuery() throws {
        #expect(try PreviewEndpoint.link(of: Self.post(#"{"url":"https://a.example/"}"#, type: "application/json")) == "https://a.example/")
        #expect(try PreviewEndpoint.link(of: Self.post(#"{"url":"https://a.example/"}"#, type: "Application/JSON; charset=utf-8")) == "https://a.example/")
        #expect(try PreviewEndpoint.link(of: Self.post("url=https%3A%2F%2Fb.example%2F", type: "application/x-www-form-urlencoded")) == "https://b.example/")
        #expect(try PreviewEndpoint.link(of: Request(method: "GET", path: "/links/preview", query: ["url": "https://c.example/"])) == "https://c.example/")
    }

    @Test("bad requests", arguments: [
        (#"{"url": 5}"#, "application/json"), ("[1]", "application/json"), ("{", "application/json"),
        ("link=x", "application/x-www-form-urlencoded"), ("url=x", "text/plain"), ("url=x", nil),
        // A type that merely starts like JSON's is not JSON.
        (#"{"url":"https://a.example/"}"#, "application/jsonp"),
    ])
    func badRequests_areRefused(_ body: String, _ type: String?) {
        #expect(throws: ServiceError.self) { try PreviewEndpoint.link(of: Self.post(body, type: type)) }
    }

    @Test func aBodyOver16KiB_isRefusedBeforeItIsRead() {
        let huge = #"{"url":""# + String(repeating: "a", count: 17 * 1024) + #""}"#
        #expect { try PreviewEndpoint.link(of: Self.post(huge, type: "application/json")) } throws: { ($0 as? ServiceError)?.code == "bad_url" }
    }

    @Test("media types", arguments: [
        ("text/html; charset=ISO-8859-1", "", "text/html", "ISO-8859-1", true, false),
        ("TEXT/HTML;charset=\"utf-8\"", "", "text/html", "utf-8", true, false),
        ("text/html; charset='utf-8'", "", "text/html", "utf-8", true, false),
        ("application/xhtml+xml", "", "application/xhtml+xml", nil, true, false),
        ("image/png", "", "image/png", nil, false, true),
        ("", "  \n<!doctype html>", "text/html", nil, true, false),
        ("", "\u{FEFF}<html>", "text/html", nil, true, false),
        ("", "GIF89a", "", nil, false, false),
        ("application/octet-stream", "<html>", "application/octet-stream", nil, false, false),
    ] as [(String, String, String, String?, Bool, Bool)])
    func mediaTypes(_ header: String, _ body: String, _ name: String, _ charset: String?, _ html: Bool, _ image: Bool) {
        let type = MediaType(header, sniffing: Array(body.utf8))
        #expect(type.name == name && type.charset == charset && type.isHTML == html && type.isImage == image)
    }
}

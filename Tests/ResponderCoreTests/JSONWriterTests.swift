import Foundation
import Testing
@testable import ResponderCore

@Suite struct JSONWriterTests {
    @Test func writes_validOrderedJSON() throws {
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

    @Test func theEnvelope_isStatusThenSuccess_orAroundTheFields() {
        var plain = JSONWriter()
        plain.beginObject()
        plain.envelope(ok: false)
        plain.endObject()
        #expect(String(decoding: plain.bytes, as: UTF8.self) == #"{"status":"error","success":false}"#)
        var around = JSONWriter()
        around.beginObject()
        around.envelope(ok: true) { $0.field("message", "pong") }
        around.endObject()
        #expect(String(decoding: around.bytes, as: UTF8.self) == #"{"status":"ok","message":"pong","success":true}"#)
        #expect(Response.ok.body == Array(#"{"status":"ok","success":true}"#.utf8))
    }
}

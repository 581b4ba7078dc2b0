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
}

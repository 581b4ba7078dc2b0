import Foundation
import Testing
@testable import ResponderCore

@Suite struct CrashReportTests {
    let note = CrashReport.Note(logger: "remote-worker.responder", fields: [
        ("bytes_in", "12"), ("endpoint", "POST /images/fit/8\n\u{01}injected"), ("input_type", "image/png"),
        ("request_id", "abc"),
    ])

    /// The handler puts the time at 0x01 and the signal at 0x02; what it writes must then be valid JSON.
    @Test func jsonLine_isOneObject_onceTheHandlerFillsItIn() throws {
        let line = note.jsonLine
        #expect(line.filter { $0 == "\u{01}" }.count == 1 && line.filter { $0 == "\u{02}" }.count == 1)
        let filled = line.replacingOccurrences(of: "\u{01}", with: "2026-12-01T12:00:00.000Z")
            .replacingOccurrences(of: "\u{02}", with: "SIGSEGV")
        #expect(filled.hasSuffix("}\n") && filled.dropLast().allSatisfy { $0 != "\n" })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(filled.utf8)) as? [String: Any])
        #expect(object["signal"] as? String == "SIGSEGV")
        #expect(object["level"] as? String == "critical")
        #expect(object["endpoint"] as? String == "POST /images/fit/8\n\u{01}injected")
        #expect(object["input_type"] as? String == "image/png" && object["request_id"] as? String == "abc")
    }

    @Test func textLine_isOneLine_withNoMarkerFromTheRequest() {
        let line = note.textLine
        #expect(line.hasPrefix("\u{01} critical remote-worker.responder: bytes_in=12 endpoint=POST /images/fit/8??injected"))
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        #expect(line.filter { $0 == "\u{01}" }.count == 1 && line.filter { $0 == "\u{02}" }.count == 1)
    }
}

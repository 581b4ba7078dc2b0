import Foundation
import Testing

/// Structured logs: one JSON object per line, with nginx's request ID.
@Suite struct StructuredLogTests {
    @Test func jsonLogLines_carryTheRequestID() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "1", "--log-format", "json"])
        defer { stack.stop() }
        let png = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))
        _ = try await stack.post("/images/fit/32", file: png)
        // The responder logs a request just after answering it.
        #expect(await eventually(within: 10) { stack.poolLog.contains("\"POST /images/fit/32\"") }, "\(stack.poolLog)")
        let lines = stack.poolLog.split(separator: "\n")
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == lines.count, "a log line is not JSON")
        let request = try #require(objects.first { ($0["message"] as? String) == "POST /images/fit/32" })
        #expect((request["request_id"] as? String)?.count == 32, "nginx's $request_id is 32 hex digits")
        #expect(request["status"] as? String == "200")
        #expect(request["input_type"] as? String == "image/png")
        #expect(request["level"] as? String == "info")
    }
}

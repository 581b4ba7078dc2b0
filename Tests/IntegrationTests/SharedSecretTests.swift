import Foundation
import Testing

/// RW_SHARED_SECRET: requests without the right X-Remote-Worker-Secret get a JSON 401.
@Suite struct SharedSecretTests {
    @Test func requestsNeedTheSecret_whenOneIsSet() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "1"], environment: ["RW_SHARED_SECRET": "s3cret-value"],
                                      servesPing: false)
        defer { stack.stop() }
        let missing = try await stack.get("/ping")
        #expect(missing.status == 401)
        #expect(missing.json["code"] as? String == "unauthorized")
        let wrong = try await stack.get("/ping", headers: ["X-Remote-Worker-Secret": "s3cret-valuX"])
        #expect(wrong.status == 401)
        let right = try await stack.get("/ping", headers: ["X-Remote-Worker-Secret": "s3cret-value"])
        #expect(right.status == 200)
    }
}

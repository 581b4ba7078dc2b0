import Foundation
import Testing

/// RW_SHARED_SECRET: requests without the right X-Remote-Worker-Secret get a JSON 401, on
/// every route of both pools, the operator pages included.
@Suite struct SharedSecretTests {
    static let secret = "s3cret-value"
    /// A path of every route of the image pool and the link-preview pool, and one of none.
    static let paths = [
        "/", "/ping", "/hello", "/status", "/metrics", "/images/info", "/images/prepare_jpeg", "/images/fit/100",
        "/images/rescale_avatar", "/images/resize_avatar", "/links/preview", "/links/status", "/links/metrics",
    ]

    @Test func everyRouteOfBothPools_needsTheSecret_whenOneIsSet() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "1"], environment: ["RW_SHARED_SECRET": Self.secret],
                                                servesPing: false)
        defer { stack.stop() }
        for path in Self.paths + ["/images/no-such-route"] {
            let missing = try await stack.get(path)
            #expect(missing.status == 401, "\(path) without the secret: \(missing.status) \(missing.text)")
            #expect(missing.json["code"] as? String == "unauthorized", "\(path): \(missing.text)")
            let wrong = try await stack.get(path, headers: ["X-Remote-Worker-Secret": "s3cret-valuX"])
            #expect(wrong.status == 401, "\(path) with a wrong secret: \(wrong.status)")
        }
        for path in Self.paths {
            let right = try await stack.get(path, headers: ["X-Remote-Worker-Secret": Self.secret])
            #expect(right.status == 200, "\(path) with the secret: \(right.status) \(right.text)")
        }
        let unknown = try await stack.get("/images/no-such-route", headers: ["X-Remote-Worker-Secret": Self.secret])
        #expect(unknown.status == 404)
    }
}

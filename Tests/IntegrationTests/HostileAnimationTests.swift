import Foundation
import Testing

/// Hostile GIF and PNG files of the shared corpus (when present) through the animated paths.
@Suite(.enabled(if: Manifest.corpusExists, "../shared/corpus is not present"))
struct HostileAnimationTests {
    static let rows = Manifest.corpus.filter { $0["path"].hasPrefix("bad/") && ["GIF", "PNG", "APNG"].contains($0["format"]) }

    @Test("hostile GIF and PNG with ?animated=1 get their expected status, never a 500", arguments: rows)
    func hostile(_ row: ManifestRow) async throws {
        var stack: WorkerStack { get async throws { try await WorkerStack.shared } }
        let input = try Data(contentsOf: Manifest.corpusDirectory.appendingPathComponent(row["path"]))
        for path in ["/images/fit/100?animated=1", "/images/rescale_avatar?animated=1"] {
            let response = try await stack.post(path, file: input)
            // Some rows allow either answer ("reject ... -- or ok only if the server clamps ...").
            if row["expected"].hasPrefix("reject") && row["expected"].contains("or ok") {
                #expect([200, 400, 413, 422].contains(response.status), "\(row) \(path): \(response.status)")
            } else if row["expected"].hasPrefix("reject") {
                #expect([400, 413, 422].contains(response.status), "\(row) \(path): \(response.status)")
                #expect(response.json["code"] is String)
            } else {
                #expect(response.status == 200, "\(row) \(path): \(String(decoding: response.body.prefix(200), as: UTF8.self))")
            }
            #expect(try await stack.get("/ping").status == 200)
        }
    }
}

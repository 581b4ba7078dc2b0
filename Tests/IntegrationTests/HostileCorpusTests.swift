import Foundation
import Testing

/// Every hostile file of ../shared/corpus/bad (when present) gets a status its manifest allows, and the pool lives on.
@Suite(.enabled(if: Manifest.corpusExists, "../shared/corpus is not present"))
struct HostileCorpusTests {
    static let rows = Manifest.corpus.filter { $0["path"].hasPrefix("bad/") }

    @Test("corpus/bad through fit and avatars", arguments: rows)
    func hostileFile(_ row: ManifestRow) async throws {
        var stack: WorkerStack { get async throws { try await WorkerStack.shared } }
        let data = try Data(contentsOf: Manifest.corpusDirectory.appendingPathComponent(row["path"]))
        let allowed = Self.allowedStatuses(row["expected"])
        for path in ["/images/fit/300", "/images/rescale_avatar"] {
            let response = try await stack.post(path, file: data)
            #expect(allowed.contains(response.status), "\(path) gave \(response.status) for \(row); allowed \(allowed)")
            #expect(response.json["success"] != nil, "not the JSON shape")
            let passwd = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8))?.prefix(20) ?? "root:x:0:0"
            #expect(!String(decoding: response.body, as: UTF8.self).contains(passwd))
        }
        #expect(try await stack.get("/ping").status == 200)
    }

    /// "ok (...)", "reject 400 ...", "reject 413/422 ... / 400 corrupt", "ok or reject 400": every status named.
    static func allowedStatuses(_ expected: String) -> Set<Int> {
        var allowed = Set<Int>()
        if expected.hasPrefix("ok") || expected.contains("or ok") { allowed.insert(200) }
        let pattern = try! NSRegularExpression(pattern: "\\b(400|413|422)\\b")
        for match in pattern.matches(in: expected, range: NSRange(expected.startIndex..., in: expected)) {
            allowed.insert(Int((expected as NSString).substring(with: match.range))!)
        }
        return allowed
    }
}

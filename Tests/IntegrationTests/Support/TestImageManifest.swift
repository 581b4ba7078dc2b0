import Foundation

/// One row of a tab-separated image manifest, by column name.
struct ManifestRow: CustomStringConvertible, Sendable {
    let fields: [String: String]
    var description: String { fields["file"] ?? fields["path"] ?? "?" }

    subscript(_ column: String) -> String { fields[column] ?? "" }
    func int(_ column: String) -> Int? { Int(self[column]) }
}

enum Manifest {
    static func read(_ url: URL) -> [ManifestRow] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst().components(separatedBy: "\t")
        return lines.map { line in
            let cells = line.components(separatedBy: "\t")
            var fields: [String: String] = [:]
            for (index, name) in header.enumerated() where index < cells.count { fields[name] = cells[index] }
            return ManifestRow(fields: fields)
        }
    }

    static var testImagesDirectory: URL { WorkerStack.repositoryRoot.appendingPathComponent("TestImages") }
    static var testImages: [ManifestRow] { read(testImagesDirectory.appendingPathComponent("MANIFEST.tsv")) }

    static var locationDirectory: URL { testImagesDirectory.appendingPathComponent("location") }
    static var locationRoutes: [ManifestRow] { read(locationDirectory.appendingPathComponent("MANIFEST.tsv")) }

    static var corpusDirectory: URL { WorkerStack.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus") }
    static var corpusExists: Bool { FileManager.default.fileExists(atPath: corpusDirectory.appendingPathComponent("MANIFEST.tsv").path) }
    static var corpus: [ManifestRow] { read(corpusDirectory.appendingPathComponent("MANIFEST.tsv")) }
}

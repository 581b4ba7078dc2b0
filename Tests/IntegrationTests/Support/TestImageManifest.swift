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

    static var corpusDirectory: URL { WorkerStack.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus") }
    static var corpusExists: Bool { FileManager.default.fileExists(atPath: corpusDirectory.appendingPathComponent("MANIFEST.tsv").path) }
    static var corpus: [ManifestRow] { read(corpusDirectory.appendingPathComponent("MANIFEST.tsv")) }
}

/// Decodes images with libvips' own command-line tool, in a separate process,
/// so a test trusts no code of the worker to say an output is a real image.
enum Decoder {
    struct Header: Equatable { let width: Int; let height: Int; let loader: String }

    static func header(of data: Data) -> Header? {
        let file = MetadataTools.temporaryFile(data, suffix: "")
        defer { try? FileManager.default.removeItem(at: file) }
        // `vips avg` reads every pixel, so a file that is not whole fails here.
        guard MetadataTools.run("/usr/bin/vips", ["avg", file.path]) != nil,
              let width = MetadataTools.run("/usr/bin/vipsheader", ["-f", "width", file.path]).flatMap({ Int($0) }),
              let height = MetadataTools.run("/usr/bin/vipsheader", ["-f", "height", file.path]).flatMap({ Int($0) })
        else { return nil }
        let loader = MetadataTools.run("/usr/bin/vipsheader", ["-f", "vips-loader", file.path]) ?? ""
        return Header(width: width, height: height, loader: loader)
    }
}

/// The box-fitting arithmetic the API promises: inside box×box, aspect kept, never enlarged.
func expectedFit(width: Int, height: Int, box: Int) -> (Int, Int) {
    guard width > box || height > box else { return (width, height) }
    if width >= height {
        return (box, max(1, Int((Double(height) * Double(box) / Double(width)).rounded())))
    }
    return (max(1, Int((Double(width) * Double(box) / Double(height)).rounded())), box)
}

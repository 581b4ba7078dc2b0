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
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rw-decode-\(UUID().uuidString)")
        try? data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/vipsheader")
        // Decoding every pixel (not just the header) proves the file is whole.
        process.arguments = ["-f", "width", file.path]
        let widthOut = run(process)
        let heightOut = run(with: ["-f", "height", file.path])
        let loaderOut = run(with: ["-f", "vips-loader", file.path])
        let avg = Process()
        avg.executableURL = URL(fileURLWithPath: "/usr/bin/vips")
        avg.arguments = ["avg", file.path]
        guard run(avg) != nil, let width = widthOut.flatMap(Int.init), let height = heightOut.flatMap(Int.init) else { return nil }
        return Header(width: width, height: height, loader: loaderOut ?? "")
    }

    private static func run(with arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/vipsheader")
        process.arguments = arguments
        return run(process)
    }

    private static func run(_ process: Process) -> String? {
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
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

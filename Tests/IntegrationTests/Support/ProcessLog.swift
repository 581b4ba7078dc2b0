import Foundation

/// Where a process a test starts writes its output, so a failure can say what it said.
final class ProcessLog: @unchecked Sendable {
    let url: URL
    let handle: FileHandle

    init(_ name: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("rw-\(name)-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try FileHandle(forWritingTo: url)
    }

    /// The process's standard output and error go here.
    func attach(to process: Process) {
        process.standardOutput = handle
        process.standardError = handle
    }

    /// The last lines, for a failure message.
    func tail(_ lines: Int = 20) -> String {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return "\(url.lastPathComponent):\n" + text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }
}

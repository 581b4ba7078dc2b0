import Foundation

/// A tool run in a process of its own and awaited without holding a thread.
///
/// Swift Testing runs every test on one cooperative pool with a thread per core; a test
/// blocked in `waitUntilExit` or `usleep` holds one of the two threads of a 2-core machine
/// and stalls every other test, including the clients whose requests are in flight.
enum ChildProcess {
    struct Result: Sendable {
        let status: Int32
        let output: Data
        let errors: Data
        var text: String { String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Runs `tool` to completion; standard output and error are collected through files,
    /// so a chatty tool never blocks on a full pipe.
    static func run(_ tool: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> Result {
        let directory = try TemporaryDirectory(prefix: "rw-child")
        let outputURL = directory.url.appendingPathComponent("out")
        let errorURL = directory.url.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        let errors = try FileHandle(forWritingTo: errorURL)
        defer { try? output.close(); try? errors.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        let status = try await terminationStatus(of: process)
        return Result(status: status, output: (try? Data(contentsOf: outputURL)) ?? Data(),
                      errors: (try? Data(contentsOf: errorURL)) ?? Data())
    }

    /// Starts `process` and resumes when it exits.
    static func terminationStatus(of process: Process) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }

    /// Standard output of a tool that must succeed, or nil.
    static func output(_ tool: String, _ arguments: [String]) async -> String? {
        guard let result = try? await run(tool, arguments), result.status == 0 else { return nil }
        return result.text
    }
}

/// A private directory under the system's temporary directory, removed when the value goes.
final class TemporaryDirectory: @unchecked Sendable {
    let url: URL

    init(prefix: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `data` to a file named `name` inside the directory.
    func file(_ name: String, containing data: Data) throws -> URL {
        let file = url.appendingPathComponent(name)
        try data.write(to: file)
        return file
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Polls `condition` every `interval` until it holds or `seconds` pass, without holding a thread.
func eventually(within seconds: Double, every interval: Double = 0.05,
                _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        if try await condition() { return true }
        if Date() >= deadline { return false }
        try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
    }
}

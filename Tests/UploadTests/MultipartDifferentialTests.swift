import Foundation
import Testing
@testable import Upload

/// The reader against Python's email package on generated forms: where both take a
/// file, it is the same bytes; on forms written by the RFC's rules, both take one.
@Suite struct MultipartDifferentialTests {
    struct Sample {
        let boundary: String
        let body: [UInt8]
        /// Written by the RFC's rules, with no part holding CRLF and the delimiter.
        let isClean: Bool
    }

    static func samples(count: Int) -> [Sample] {
        var random = SplitMix(seed: 2046)
        let boundaryAlphabet = Array("ab-'()+_,./:=?".utf8)
        let bodyAlphabet: [UInt8] = [0x0D, 0x0A, 0x2D, 0x61, 0x62, 0x00, 0xFF, 0x20]
        return (0..<count).map { index in
            let boundary = String(decoding: (0..<random.next(1...12)).map { _ in boundaryAlphabet[random.next(0...(boundaryAlphabet.count - 1))] },
                                  as: UTF8.self)
            var body: [UInt8] = random.next(0...3) == 0 ? Array("preamble\r\n".utf8) : []
            var clean = true
            for part in 0..<random.next(1...4) {
                let name = ["file", "note", "x"][random.next(0...2)]
                let content = (0..<random.next(0...40)).map { _ in bodyAlphabet[random.next(0...(bodyAlphabet.count - 1))] }
                let padding = random.next(0...4) == 0 ? " \t" : ""
                body += Array("--\(boundary)\(padding)\r\nContent-Disposition: form-data; name=\"\(name)\"\(part == 0 ? "" : "; filename=\"f\"")\r\n".utf8)
                body += Array("Content-Type: application/octet-stream\r\n\r\n".utf8) + content + [0x0D, 0x0A]
                let delimiter = Array("\r\n--\(boundary)".utf8)
                let scanned: [UInt8] = [0x0D, 0x0A] + content
                if (0..<max(0, scanned.count - delimiter.count + 1)).contains(where: { scanned[$0..<($0 + delimiter.count)].elementsEqual(delimiter) }) {
                    clean = false
                }
            }
            body += Array("--\(boundary)--\r\n".utf8)
            // One sample in four is damaged: cut short, or a byte changed.
            switch index % 8 {
            case 1: body = Array(body.prefix(random.next(0...body.count))); clean = false
            case 5: if !body.isEmpty { body[random.next(0...(body.count - 1))] = bodyAlphabet[random.next(0...7)]; clean = false }
            default: break
            }
            return Sample(boundary: boundary, body: body, isClean: clean)
        }
    }

    @Test func readerAgreesWithPythonsEmailPackage() async throws {
        let samples = Self.samples(count: 400)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rw-multipart-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, sample) in samples.enumerated() {
            let name = String(format: "%04d", index)
            try Data(sample.body).write(to: directory.appendingPathComponent("\(name).body"))
            try Data(sample.boundary.utf8).write(to: directory.appendingPathComponent("\(name).boundary"))
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/multipart-reference.py")
        let reference = try await Self.run("/usr/bin/python3", [script.path, directory.path])
        let answers = reference.split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        }
        try #require(answers.count == samples.count, "python answered \(answers.count) of \(samples.count)")

        var agreed = 0
        for (index, sample) in samples.enumerated() {
            let ours = try? UploadExtractor.extract(body: sample.body, contentType: "multipart/form-data; boundary=\"\(sample.boundary)\"")
            let theirs = answers[index]
            if let ours {
                let hex = ours.bytes.map { String(format: "%02x", $0) }.joined()
                #expect(hex == theirs, "sample \(index) (boundary \(sample.boundary)): ours \(hex), python's \(theirs)")
                agreed += 1
            } else if sample.isClean {
                // An empty file part is no file, for us; python reads it as empty.
                #expect(theirs == "-" || theirs.isEmpty, "sample \(index): a clean form we refused, python took \(theirs)")
            }
        }
        // Most clean samples have a non-empty file part: the comparison is not vacuous.
        #expect(agreed > samples.count / 3, "only \(agreed) samples compared")
    }

    /// Runs a tool to its end without holding a thread, and returns its standard output.
    static func run(_ tool: String, _ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("rw-ref-\(UUID().uuidString.prefix(8))")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        process.standardOutput = try FileHandle(forWritingTo: output)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { process.terminationHandler = nil; continuation.resume(throwing: error) }
        }
        try #require(status == 0, "\(tool) exited with \(status)")
        return String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self)
    }
}

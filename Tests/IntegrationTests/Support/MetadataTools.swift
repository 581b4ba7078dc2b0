import Foundation

/// exiftool and the vips command line, run as separate processes: the tests
/// judge the worker's output with tools that share none of its code.
enum MetadataTools {
    /// `exiftool -a -G1 -s` as (group, tag) → value, without the file-system rows.
    static func tags(of data: Data) -> [String: String] {
        let file = temporaryFile(data, suffix: ".jpg")
        defer { try? FileManager.default.removeItem(at: file) }
        let output = run("/usr/bin/exiftool", ["-a", "-G1", "-s", "-n", file.path]) ?? ""
        var tags: [String: String] = [:]
        for line in output.split(separator: "\n") {
            guard let colon = line.range(of: ": ") else { continue }
            let key = line[..<colon.lowerBound].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            tags[key] = String(line[colon.upperBound...])
        }
        return tags.filter { !$0.key.hasPrefix("[System]") && !$0.key.hasPrefix("[ExifTool]") && $0.key != "[File] FileName" }
    }

    /// Tags prepare_jpeg may change: location, orientation, sizes, the thumbnail, and what exiftool derives from them.
    static func mayDiffer(_ key: String) -> Bool {
        let parts = key.split(separator: " ")
        guard parts.count == 2 else { return false }
        let (group, tag) = (parts[0], parts[1])
        if group == "[GPS]" || group == "[IFD1]" || tag.hasPrefix("GPS") { return true }
        if group == "[Composite]" { return true }
        if group == "[File]" { return ["FileSize", "ImageWidth", "ImageHeight", "FileModifyDate", "FileAccessDate",
                                       "FileInodeChangeDate", "Directory", "FilePermissions", "ExifByteOrder",
                                       // Rotating 4:2:2 chroma makes it 4:4:0: the frame header says so.
                                       "YCbCrSubSampling"].contains(String(tag)) }
        return ["Orientation", "ExifImageWidth", "ExifImageHeight", "ThumbnailOffset", "ThumbnailLength",
                "ThumbnailImage"].contains(String(tag))
    }

    /// Mean absolute difference of two images' pixels over their common area,
    /// aligning at the top-left or the bottom-right corner, whichever fits better.
    static func meanDifference(_ expected: URL, _ actual: URL) -> Double? {
        guard let ew = int(vipsheader(expected, "width")), let eh = int(vipsheader(expected, "height")),
              let aw = int(vipsheader(actual, "width")), let ah = int(vipsheader(actual, "height")) else { return nil }
        let (w, h) = (min(ew, aw), min(eh, ah))
        var best: Double?
        for (ex, ey) in [(0, 0), (ew - w, eh - h)] {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rw-px-\(UUID().uuidString)")
            try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let a = dir.appendingPathComponent("a.v").path, b = dir.appendingPathComponent("b.v").path
            let d = dir.appendingPathComponent("d.v").path, e = dir.appendingPathComponent("e.v").path
            guard run("/usr/bin/vips", ["crop", expected.path, a, "\(ex)", "\(ey)", "\(w)", "\(h)"]) != nil,
                  run("/usr/bin/vips", ["crop", actual.path, b, "0", "0", "\(w)", "\(h)"]) != nil,
                  run("/usr/bin/vips", ["subtract", a, b, d]) != nil,
                  run("/usr/bin/vips", ["abs", d, e]) != nil,
                  let mean = run("/usr/bin/vips", ["avg", e]).flatMap({ Double($0) }) else { continue }
            best = min(best ?? mean, mean)
        }
        return best
    }

    /// The input with its EXIF orientation applied, decoded by libvips.
    static func autorotated(_ input: URL) -> URL? {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("rw-rot-\(UUID().uuidString).v")
        return run("/usr/bin/vips", ["autorot", input.path, out.path]) != nil ? out : nil
    }

    static func temporaryFile(_ data: Data, suffix: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rw-\(UUID().uuidString)\(suffix)")
        try? data.write(to: url)
        return url
    }

    private static func vipsheader(_ url: URL, _ field: String) -> String? { run("/usr/bin/vipsheader", ["-f", field, url.path]) }
    private static func int(_ text: String?) -> Int? { text.flatMap { Int($0) } }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
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

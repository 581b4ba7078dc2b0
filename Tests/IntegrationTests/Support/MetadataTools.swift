import Foundation

/// exiftool run as a separate process: the tests judge the worker's metadata
/// with a parser that shares none of its code.
enum MetadataTools {
    /// `exiftool -a -G1 -s -n` as (group, tag) → value, without the file-system rows.
    static func tags(of data: Data) async -> [String: String] {
        await tags(of: [data])[0]
    }

    /// The tags of several files from one exiftool process (its start-up costs more than reading a file).
    /// - Parameter embedded: also read embedded documents and unknown tags (`-ee -u`), as a
    ///   privacy check must: images after the first, and tags exiftool has no name for.
    static func tags(of files: [Data], embedded: Bool = false) async -> [[String: String]] {
        guard let directory = try? TemporaryDirectory(prefix: "rw-exif") else { return files.map { _ in [:] } }
        let paths = files.indices.compactMap { try? directory.file("\($0).jpg", containing: files[$0]).path }
        let options = ["-a", "-G1", "-s", "-n"] + (embedded ? ["-ee", "-u"] : [])
        let output = await ChildProcess.output("/usr/bin/exiftool", options + paths) ?? ""
        // With several files exiftool heads each one's rows with "======== path".
        var sections = Array(repeating: [String: String](), count: files.count)
        var current = 0
        for line in output.split(separator: "\n") {
            if line.hasPrefix("======== ") {
                current = paths.firstIndex(of: String(line.dropFirst(9))) ?? current
                continue
            }
            guard let colon = line.range(of: ": ") else { continue }
            let key = line[..<colon.lowerBound].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            sections[current][key] = String(line[colon.upperBound...])
        }
        return sections.map { tags in
            tags.filter { !$0.key.hasPrefix("[System]") && !$0.key.hasPrefix("[ExifTool]") && $0.key != "[File] FileName" }
        }
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
}

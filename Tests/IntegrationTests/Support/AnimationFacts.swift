import Foundation

/// What an animation says about itself: frames, per-frame delays (ms), loop count, frame size.
struct AnimationFacts: Equatable, CustomStringConvertible {
    let frames: Int
    let delays: [Int]
    let loops: Int
    let width: Int
    let height: Int
    var description: String { "\(frames) frames \(width)x\(height), delays \(delays), loops \(loops)" }

    /// GIF and WebP through `vipsheader -a`; APNG through its own chunks.
    static func of(_ data: Data) async -> AnimationFacts? {
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return apng(data) }
        guard let directory = try? TemporaryDirectory(prefix: "rw-animation"),
              let file = try? directory.file("input", containing: data),
              let text = await ChildProcess.output("/usr/bin/vipsheader", ["-a", file.path]) else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let frames = Int(fields["n-pages"] ?? "1") ?? 1
        return AnimationFacts(frames: frames,
                              delays: (fields["delay"] ?? "").split(separator: " ").compactMap { Int($0) },
                              loops: Int(fields["loop"] ?? "0") ?? 0,
                              width: Int(fields["width"] ?? "") ?? 0,
                              height: Int(fields["page-height"] ?? fields["height"] ?? "") ?? 0)
    }

    private static func apng(_ data: Data) -> AnimationFacts? {
        let bytes = [UInt8](data)
        func be32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 << 8 | Int(bytes[at + $1]) } }
        func be16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
        var offset = 8
        var frames = 0, loops = 0, width = 0, height = 0
        var delays: [Int] = []
        while offset + 12 <= bytes.count {
            let length = be32(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = offset + 8
            switch type {
            case "IHDR": width = be32(body); height = be32(body + 4)
            case "acTL": frames = be32(body); loops = be32(body + 4)
            case "fcTL":
                let denominator = be16(body + 22)
                delays.append(be16(body + 20) * 1000 / (denominator == 0 ? 100 : denominator))
            default: break
            }
            offset = body + length + 4
        }
        return AnimationFacts(frames: max(frames, 1), delays: delays, loops: loops, width: width, height: height)
    }
}

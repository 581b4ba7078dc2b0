import Foundation
import Testing

/// Outputs of fit and avatars carry no metadata at all, and their pixels are sRGB.
@Suite struct OutputMetadataTests {
    var stack: WorkerStack { get async throws { try await WorkerStack.shared } }

    @Test("fit and avatar outputs carry no EXIF, GPS, XMP, comment or ICC profile",
          arguments: ["icc-comment-gps.jpg", "gps-tagged.jpg", "cmyk.jpg"])
    func outputsAreBare(_ name: String) async throws {
        let input = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent(name))
        let fitted = try await stack.post("/images/fit/150?simple=1", file: input).body
        let avatars = try await stack.post("/images/rescale_avatar", file: input).json
        let avatar = try #require(Data(base64Encoded: (avatars["avatar73"] as? [String: Any])?["body"] as? String ?? ""))
        for output in [fitted, avatar] {
            let tags = await MetadataTools.tags(of: output)
            let leaked = tags.keys.filter { key in
                ["[IFD0]", "[ExifIFD]", "[GPS]", "[XMP", "[ICC", "[IPTC", "[Photoshop]"].contains { key.hasPrefix($0) }
                    || key.contains("GPS") || key == "[File] Comment"
            }
            #expect(leaked.isEmpty, "\(name): \(leaked)")
            let directory = try TemporaryDirectory(prefix: "rw-bare")
            let file = try directory.file("output", containing: output)
            let interpretation = await ChildProcess.output("/usr/bin/vipsheader", ["-f", "interpretation", file.path])
            #expect(interpretation?.hasSuffix("_sRGB)") == true, "\(name): \(interpretation ?? "unreadable")")
        }
    }
}

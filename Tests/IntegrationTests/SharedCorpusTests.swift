import Foundation
import Testing

/// Real-world files from ../shared/corpus (when present): formats, orientation and camera photos.
@Suite(.enabled(if: Manifest.corpusExists, "../shared/corpus is not present"))
struct SharedCorpusTests {
    static let rows = Manifest.corpus.filter { row in
        ["formats/", "orientation/", "camera/"].contains { row["path"].hasPrefix($0) } && row["expected"].hasPrefix("ok")
    }

    @Test("corpus through info, fit and avatars", arguments: rows)
    func walk(_ row: ManifestRow) async throws {
        var stack: WorkerStack { get async throws { try await WorkerStack.shared } }
        let data = try Data(contentsOf: Manifest.corpusDirectory.appendingPathComponent(row["path"]))
        let displayed = row["displayed_wxh"].split(separator: "x").compactMap { Int($0) }
        try #require(displayed.count == 2)
        let (displayWidth, displayHeight) = (displayed[0], displayed[1])

        let info = try await stack.post("/images/info", file: data)
        #expect(info.status == 200, "\(String(decoding: info.body, as: UTF8.self))")
        #expect(info.json["display_width"] as? Int == displayWidth && info.json["display_height"] as? Int == displayHeight,
                "info says \(info.json["display_width"] ?? "-")x\(info.json["display_height"] ?? "-")")
        if ["GIF", "Extended WEBP"].contains(row["format"]), let frames = row.int("frames") {
            #expect(info.json["frames"] as? Int == frames)
        }

        let fit = try await stack.post("/images/fit/300", file: data)
        #expect(fit.status == 200, "\(String(decoding: fit.body, as: UTF8.self))")
        let output = try #require(Data(base64Encoded: fit.json["output"] as? String ?? ""))
        let decoded = try #require(await Decoder.header(of: output), "fit output does not decode")
        let (expectedWidth, expectedHeight) = expectedFit(width: displayWidth, height: displayHeight, box: 300)
        #expect(abs(decoded.width - expectedWidth) <= 1 && abs(decoded.height - expectedHeight) <= 1,
                "fit gave \(decoded.width)x\(decoded.height), expected \(expectedWidth)x\(expectedHeight)")

        let avatars = try await stack.post("/images/rescale_avatar", file: data)
        #expect(avatars.status == 200)
        let isVector = row["format"] == "SVG"
        let expected = [24, 48, 73] + [128, 256, 512].filter { isVector || min(displayWidth, displayHeight) >= $0 }
        for size in expected {
            let avatar = avatars.json["avatar\(size)"] as? [String: Any]
            let png = Data(base64Encoded: avatar?["body"] as? String ?? "") ?? Data()
            #expect(PNGHeader(png)?.size == size, "avatar\(size) of \(row)")
        }
        #expect(avatars.json.keys.filter { $0.hasPrefix("avatar") }.count == expected.count)
    }
}

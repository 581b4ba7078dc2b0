import Foundation
import Testing

/// Every generated test image through info, fit and avatars, over HTTP, checked against its manifest row.
@Suite struct TestImagesWalkTests {
    var stack: WorkerStack { get async throws { try await WorkerStack.shared } }

    /// Formats `fit` answers in their own format; every other one becomes PNG.
    static let fitLoaders = [
        "image/jpeg": "jpegload", "image/png": "pngload", "image/gif": "gifload", "image/webp": "webpload",
        "image/tiff": "tiffload", "image/avif": "heifload",
    ]

    @Test("TestImages/ through info, fit and avatars", arguments: Manifest.testImages)
    func walk(_ row: ManifestRow) async throws {
        let data = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent(row["file"]))
        let status = try #require(row.int("status"))
        let info = try await stack.post("/images/info", file: data, filename: row["file"])
        let fit = try await stack.post("/images/fit/200", file: data, filename: row["file"])
        let avatars = try await stack.post("/images/rescale_avatar", file: data, filename: row["file"])

        guard status == 200 else {
            // Errors are the same on every endpoint that decodes: header limits and sniffing come first.
            for response in [fit, avatars] {
                #expect(response.status == status, "\(row): \(String(decoding: response.body, as: UTF8.self))")
                #expect(response.json["code"] as? String == row["code"])
                #expect(response.json["success"] as? Bool == false)
            }
            if ["no_file", "unsupported_type", "too_many_pixels"].contains(row["code"]) {
                #expect(info.status == status)
                #expect(info.json["code"] as? String == row["code"])
            }
            // A refused upload leaves the pool serving.
            #expect(try await stack.get("/ping").status == 200)
            return
        }

        #expect(info.status == 200, "\(String(decoding: info.body, as: UTF8.self))")
        #expect(info.json["mime_type"] as? String == row["mime"])
        #expect(info.json["width"] as? Int == row.int("width"))
        #expect(info.json["height"] as? Int == row.int("height"))
        #expect(info.json["frames"] as? Int == row.int("frames"))
        #expect(info.json["binary_size"] as? Int == data.count)
        let displayWidth = try #require(row.int("display_width"))
        let displayHeight = try #require(row.int("display_height"))
        #expect(info.json["display_width"] as? Int == displayWidth)
        #expect(info.json["display_height"] as? Int == displayHeight)

        #expect(fit.status == 200, "\(String(decoding: fit.body, as: UTF8.self))")
        let output = try #require(Data(base64Encoded: fit.json["output"] as? String ?? ""))
        let decoded = try #require(await Decoder.header(of: output), "fit output does not decode")
        let (expectedWidth, expectedHeight) = expectedFit(width: displayWidth, height: displayHeight, box: 200)
        #expect(abs(decoded.width - expectedWidth) <= 1 && abs(decoded.height - expectedHeight) <= 1,
                "fit gave \(decoded.width)x\(decoded.height), expected \(expectedWidth)x\(expectedHeight)")
        #expect(decoded.width <= 200 && decoded.height <= 200)
        let outputLoader = Self.fitLoaders[row["mime"]] ?? "pngload"
        #expect(decoded.loader.hasPrefix(outputLoader), "fit of \(row) came back as \(decoded.loader)")
        #expect(fit.json["output_mime"] as? String == (Self.fitLoaders[row["mime"]] == nil ? "image/png" : row["mime"]))

        #expect(avatars.status == 200, "\(String(decoding: avatars.body, as: UTF8.self))")
        let isVector = row["mime"] == "image/svg+xml"
        let expectedSizes = [24, 48, 73] + [128, 256, 512].filter { isVector || min(displayWidth, displayHeight) >= $0 }
        let keys = avatars.json.keys.filter { $0.hasPrefix("avatar") }.sorted()
        #expect(Set(keys) == Set(expectedSizes.map { "avatar\($0)" }))
        for size in expectedSizes {
            let avatar = try #require(avatars.json["avatar\(size)"] as? [String: Any])
            let png = try #require(Data(base64Encoded: avatar["body"] as? String ?? ""))
            #expect(avatar["size"] as? Int == png.count)
            #expect(PNGHeader(png)?.size == size && PNGHeader(png)?.height == size, "avatar\(size) of \(row)")
        }
        let largest = try #require(avatars.json["avatar\(expectedSizes.last!)"] as? [String: Any])
        let largestPNG = try #require(Data(base64Encoded: largest["body"] as? String ?? ""))
        #expect(await Decoder.header(of: largestPNG)?.loader.hasPrefix("pngload") == true)
    }
}

/// Width and height from a PNG's IHDR chunk.
struct PNGHeader {
    let size: Int
    let height: Int

    init?(_ data: Data) {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        func be32(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        size = be32(16)
        height = be32(20)
    }
}

import Foundation

/// Decodes images with libvips' own command-line tool, in a separate process,
/// so a test trusts no code of the worker to say an output is a real image.
enum Decoder {
    struct Header: Equatable { let width: Int; let height: Int; let loader: String }

    /// Size and format of a whole, decodable image; nil when libvips cannot read every pixel.
    static func header(of data: Data) async -> Header? {
        guard let raster = await raster(of: data) else { return nil }
        return Header(width: raster.width, height: raster.height, loader: ImageSignature.loader(of: data))
    }

    /// Every pixel of the image's first frame, as libvips decodes it.
    static func raster(of data: Data, autorotate: Bool = false) async -> VipsRaster? {
        guard let directory = try? TemporaryDirectory(prefix: "rw-decode"),
              let input = try? directory.file("input", containing: data) else { return nil }
        let output = directory.url.appendingPathComponent("pixels.v")
        guard await ChildProcess.output("/usr/bin/vips", [autorotate ? "autorot" : "copy", input.path, output.path]) != nil
        else { return nil }
        return VipsRaster(contentsOf: output)
    }
}

/// The libvips loader that a file's first bytes call for, by the formats' own signatures.
enum ImageSignature {
    static func loader(of data: Data) -> String {
        let head = [UInt8](data.prefix(16))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<offset + signature.count]) == signature
        }
        if starts([0xFF, 0xD8, 0xFF]) { return "jpegload" }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "pngload" }
        if starts(Array("GIF8".utf8)) { return "gifload" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "webpload" }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "tiffload" }
        if starts(Array("ftyp".utf8), at: 4) { return "heifload" }
        return "unknown"
    }
}

/// A libvips `.v` file: a 64-byte header, then the pixels, band-interleaved.
struct VipsRaster {
    let width: Int
    let height: Int
    let bands: Int
    /// 8-bit samples, row after row.
    let samples: Data

    init?(contentsOf url: URL) {
        guard let file = try? Data(contentsOf: url), file.count >= 64 else { return nil }
        func int32(_ offset: Int) -> Int {
            Int(Int32(littleEndian: file.subdata(in: offset..<offset + 4).withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
        }
        (width, height, bands) = (int32(4), int32(8), int32(12))
        // Band format 0 is unsigned char; the comparisons here are of 8-bit photos.
        guard int32(20) == 0, width > 0, height > 0, bands > 0, file.count >= 64 + width * height * bands else { return nil }
        samples = file.subdata(in: 64..<64 + width * height * bands)
    }

    /// Mean absolute difference of two images' samples over their common area, aligning the
    /// other image's top-left corner with this one's top-left or bottom-right, whichever fits better.
    func meanDifference(_ other: VipsRaster) -> Double? {
        guard bands == other.bands else { return nil }
        let (w, h) = (min(width, other.width), min(height, other.height))
        let offsets = [(0, 0), (width - w, height - h)]
        return offsets.map { meanDifference(other, x: $0.0, y: $0.1, width: w, height: h) }.min()
    }

    private func meanDifference(_ other: VipsRaster, x: Int, y: Int, width w: Int, height h: Int) -> Double {
        let rowBytes = w * bands
        var total = 0
        samples.withUnsafeBytes { (mine: UnsafeRawBufferPointer) in
            other.samples.withUnsafeBytes { (theirs: UnsafeRawBufferPointer) in
                let a = mine.bindMemory(to: UInt8.self).baseAddress!
                let b = theirs.bindMemory(to: UInt8.self).baseAddress!
                for row in 0..<h {
                    let rowA = a + ((y + row) * width + x) * bands
                    let rowB = b + row * other.width * bands
                    var sum = 0
                    for index in 0..<rowBytes { sum &+= abs(Int(rowA[index]) - Int(rowB[index])) }
                    total &+= sum
                }
            }
        }
        return Double(total) / Double(max(1, rowBytes * h))
    }
}

import CVipsShim

/// What a response tells of a picture besides its size: a placeholder to paint
/// before the image arrives (BlurHash, 4×3 components, and the dominant colour),
/// and, for `/images/info`, perceptual hashes to spot the same picture posted again.
public struct Placeholder: Equatable, Sendable {
    public let blurhash: String
    /// `#rrggbb`.
    public let dominantColor: String
}

public struct PerceptualHashes: Equatable, Sendable {
    /// 64-bit DCT hash (imagehash.phash), 16 hex digits.
    public let phash: String
    /// 64-bit difference hash (imagehash.dhash), 16 hex digits.
    public let dhash: String
}

/// The pixels the fingerprints are computed from, for a differential test against
/// the reference implementations: the tiny thumbnail and the two greyscale grids.
public struct FingerprintInputs: Sendable {
    public let tiny: (rgb: [UInt8], width: Int, height: Int)
    public let phashGrey: [UInt8]
    public let dhashGrey: [UInt8]
}

/// The tiny thumbnail a placeholder is computed from: inside 32×32.
let placeholderBox = 32

/// Step: the placeholder of an image already decoded (8-bit sRGB or grey, best in memory):
/// a 32-pixel thumbnail of it, not a second decode.
func placeholder(of image: VipsImageHandle) throws(ImageError) -> Placeholder {
    let tiny = try rgbPixels(tinyThumbnail(image))
    return Placeholder(blurhash: Blurhash.encode(rgb: tiny.rgb, width: tiny.width, height: tiny.height),
                       dominantColor: DominantColour.of(rgb: tiny.rgb))
}

/// The image inside 32×32 by box averaging: each pixel the mean of the ones it covers,
/// which is what a placeholder wants, at a fraction of a windowed resampler's cost. A large
/// image is point-sampled first, so each tiny pixel averages 16 of its pixels rather than all:
/// a 1024-pixel fit reads a sixteenth of its pixels for its placeholder.
func tinyThumbnail(_ image: VipsImageHandle) throws(ImageError) -> VipsImageHandle {
    var image = image
    let step = max(image.width, image.height) / (placeholderBox * 4)
    if step > 1, image.width / step >= 1, image.height / step >= 1 {
        image = try image.derive { shim_subsample($0, Int32(step), Int32(step)) }
    }
    let scale = min(1, Double(placeholderBox) / Double(max(image.width, image.height)))
    guard scale < 1 else { return image }
    // Each side at least a pixel: a 2000×3 strip becomes 32×1, not 32×0.
    let width = max(1, Int((Double(image.width) * scale).rounded())), height = max(1, Int((Double(image.height) * scale).rounded()))
    let source = image
    return try source.derive { shim_shrink($0, Double(source.width) / Double(width), Double(source.height) / Double(height)) }
}

/// Step: the perceptual hashes of an image already decoded: 32×32 and 9×8 greyscale grids of it.
func perceptualHashes(of image: VipsImageHandle) throws(ImageError) -> PerceptualHashes {
    let inputs = try hashGrids(of: image)
    return PerceptualHashes(phash: PerceptualHash.phash(grey: inputs.phash), dhash: PerceptualHash.dhash(grey: inputs.dhash))
}

func hashGrids(of image: VipsImageHandle) throws(ImageError) -> (phash: [UInt8], dhash: [UInt8]) {
    let square = try rgbPixels(resizeThumbnail(image, width: 32, height: 32, mode: .stretch))
    let grid = try rgbPixels(resizeThumbnail(image, width: 9, height: 8, mode: .stretch))
    guard square.width == 32, square.height == 32, grid.width == 9, grid.height == 8 else {
        throw .failed(detail: "hash grids: unexpected size")
    }
    return (PerceptualHash.luma(rgb: square.rgb), PerceptualHash.luma(rgb: grid.rgb))
}

/// 8-bit RGB, three bytes a pixel: grey expanded, alpha composed over white (where a
/// transparent picture is usually shown).
func rgbPixels(_ image: VipsImageHandle) throws(ImageError) -> (rgb: [UInt8], width: Int, height: Int) {
    let frame = try normaliseColour(image).pixels()
    let bands = frame.bands
    guard (1...4).contains(bands) else { throw .failed(detail: "fingerprint pixels: \(bands) bands") }
    let colours = bands >= 3 ? 3 : 1
    let hasAlpha = bands == 2 || bands == 4
    var rgb = [UInt8]()
    rgb.reserveCapacity(frame.width * frame.height * 3)
    for pixel in stride(from: 0, to: frame.bytes.count, by: bands) {
        let alpha = hasAlpha ? Int(frame.bytes[pixel + bands - 1]) : 255
        for channel in 0..<3 {
            let value = Int(frame.bytes[pixel + (colours == 3 ? channel : 0)])
            rgb.append(UInt8((value * alpha + 255 * (255 - alpha) + 127) / 255))
        }
    }
    return (rgb, frame.width, frame.height)
}

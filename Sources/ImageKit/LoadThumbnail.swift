import CVips
#if canImport(Glibc)
import Glibc
#endif
import CVipsShim

/// How a thumbnail fills its box.
enum ThumbnailMode {
    /// Fit inside the box, never enlarging.
    case fitInside
    /// Fit inside the box, enlarging when smaller (vector sources, small avatars).
    case fitInsideOrEnlarge
    /// Fill the box exactly, cropping around the centre.
    case coverCentre
    /// Exactly the box, the aspect ratio given up (perceptual hashes want a square).
    case stretch
}

/// Step: load with shrink-on-load, apply the orientation, resize, and (when
/// `toSRGB`) move an embedded colour profile or CMYK to sRGB, in one libvips
/// thumbnail call. Without a profile the pixels are taken as sRGB already:
/// a transform would cost a fifth of the time and change nothing.
func loadThumbnail(_ plan: LoadPlan, width: Int, height: Int, mode: ThumbnailMode,
                   toSRGB: Bool = true) throws(ImageError) -> VipsImageHandle {
    var options = thumbnailOptions(height: height, mode: mode)
    guard plan.loaderFormat.shrinksOnLoad else {
        let loaded = try loadReducedJPEG2000(plan, width: width, height: height, mode: mode)
        return try resizeThumbnail(loaded, width: width, height: height, mode: mode)
    }
    let result = plan.loadOptions.withCString { loadOptions in
        "srgb".withCString { profile in
            options.load_options = loadOptions
            options.export_profile = toSRGB ? profile : nil
            return shim_thumbnail_buffer(plan.bytes.baseAddress, plan.bytes.count, Int32(width), &options)
        }
    }
    return try VipsImageHandle.wrap(result, source: plan.bytes) { .corrupt(detail: "thumbnail: \($0)") }
}

/// JPEG 2000 keeps its image at halving resolutions; libvips' thumbnail picks a wrong
/// level for one held in a buffer, so the level is chosen here: the smallest at which
/// the image still covers the box, so a 4000-pixel file fitted to 200 decodes at 250.
private func loadReducedJPEG2000(_ plan: LoadPlan, width: Int, height: Int, mode: ThumbnailMode) throws(ImageError) -> VipsImageHandle {
    func load(_ options: String) throws(ImageError) -> VipsImageHandle {
        try VipsImageHandle.wrap(shim_image_new_from_buffer(plan.bytes.baseAddress, plan.bytes.count, options),
                                 source: plan.bytes) { .corrupt(detail: "load: \($0)") }
    }
    // The header alone: libvips reads pixels only when asked.
    let full = try load(plan.loadOptions)
    let level = reductionLevel(width: full.width, height: full.height, boxWidth: width, boxHeight: height, mode: mode)
    guard plan.loaderFormat == .jp2, level > 0 else { return full }
    // A codestream has as many levels as its encoder chose; past them, the full image.
    return (try? load(plan.loadOptions + ",page=\(level)")) ?? full
}

/// How many times an image can be halved and still cover the box (at most 5).
func reductionLevel(width: Int, height: Int, boxWidth: Int, boxHeight: Int, mode: ThumbnailMode) -> Int {
    guard width > 0, height > 0, boxWidth > 0, boxHeight > 0 else { return 0 }
    let scaleX = Double(boxWidth) / Double(width), scaleY = Double(boxHeight) / Double(height)
    let scale = mode == .coverCentre ? max(scaleX, scaleY) : min(scaleX, scaleY)
    guard scale < 1 else { return 0 }
    return min(5, max(0, Int((log2(1 / scale)).rounded(.down))))
}

/// Step: resize an image already in memory (used to derive small avatars from a large one).
func resizeThumbnail(_ image: VipsImageHandle, width: Int, height: Int, mode: ThumbnailMode) throws(ImageError) -> VipsImageHandle {
    var options = thumbnailOptions(height: height, mode: mode)
    return try image.derive { shim_thumbnail_image($0, Int32(width), &options) }
}

private func thumbnailOptions(height: Int, mode: ThumbnailMode) -> ShimThumbnailOptions {
    var options = ShimThumbnailOptions()
    options.height = Int32(height)
    switch mode {
    case .fitInside:
        options.size = VIPS_SIZE_DOWN
        options.crop = VIPS_INTERESTING_NONE
    case .fitInsideOrEnlarge:
        options.size = VIPS_SIZE_BOTH
        options.crop = VIPS_INTERESTING_NONE
    case .coverCentre:
        options.size = VIPS_SIZE_BOTH
        options.crop = VIPS_INTERESTING_CENTRE
    case .stretch:
        options.size = VIPS_SIZE_FORCE
        options.crop = VIPS_INTERESTING_NONE
    }
    return options
}

import CVips
import CVipsShim

/// How a thumbnail fills its box.
enum ThumbnailMode {
    /// Fit inside the box, never enlarging.
    case fitInside
    /// Fit inside the box, enlarging when smaller (vector sources, small avatars).
    case fitInsideOrEnlarge
    /// Fill the box exactly, cropping around the centre.
    case coverCentre
}

/// Step: load with shrink-on-load, apply the orientation, resize, and (when
/// `toSRGB`) move an embedded colour profile or CMYK to sRGB, in one libvips
/// thumbnail call. Without a profile the pixels are taken as sRGB already:
/// a transform would cost a fifth of the time and change nothing.
func loadThumbnail(_ plan: LoadPlan, width: Int, height: Int, mode: ThumbnailMode,
                   toSRGB: Bool = true) throws(ImageError) -> VipsImageHandle {
    var options = thumbnailOptions(height: height, mode: mode)
    guard plan.loaderFormat.shrinksOnLoad else {
        let loaded = try VipsImageHandle.wrap(
            shim_image_new_from_buffer(plan.bytes.baseAddress, plan.bytes.count, plan.loadOptions),
            source: plan.bytes
        ) { .corrupt(detail: "load: \($0)") }
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
    }
    return options
}

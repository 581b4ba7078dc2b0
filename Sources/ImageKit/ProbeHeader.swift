import CVips
import JPEGMetadata
import CVipsShim

/// Step: read the header (no pixels), after making sure libvips would route
/// the bytes to the loader the sniffed format calls for.
func probeHeader(_ plan: LoadPlan) throws(ImageError) -> ImageInfo {
    // ImageMagick is the least trusted decoder: check the size a BMP or PSD declares before it reads a byte.
    if let declared = DeclaredSize(plan.bytes, format: plan.loaderFormat) {
        return ImageInfo(format: plan.format, width: declared.width, height: declared.height, frames: 1, orientation: 1)
    }
    guard let loader = vips_foreign_find_load_buffer(plan.bytes.baseAddress, plan.bytes.count)
        .map({ String(cString: $0) })
    else {
        throw .corrupt(detail: "no loader: \(VipsErrorBuffer.take())")
    }
    guard plan.loaderFormat.expectedLoaders.contains(loader) else {
        throw .unsupportedType(detail: "sniffed \(plan.loaderFormat) but libvips chose \(loader)")
    }
    let header = try VipsImageHandle.wrap(
        shim_image_new_from_buffer(plan.bytes.baseAddress, plan.bytes.count, plan.loadOptions),
        source: plan.bytes
    ) { .corrupt(detail: "header: \($0)") }
    let orientation = header.int("orientation").flatMap { (1...8).contains($0) ? $0 : nil } ?? 1
    let pageHeight = header.int("page-height") ?? header.height
    var frames = plan.loaderFormat.hasPages ? max(1, header.int("n-pages") ?? 1) : 1
    // libvips reads an APNG as its still default image; the frame count is in acTL.
    if plan.format == .png, let declared = PNGChunk.declaredAnimationFrames(plan.bytes) { frames = max(1, declared) }
    // Animated loaders report one frame's height when loading a single page.
    let height = frames > 1 && pageHeight > 0 && pageHeight < header.height ? pageHeight : header.height
    var info = ImageInfo(format: plan.format, width: header.width, height: height,
                         frames: frames, orientation: orientation)
    info.bands = header.bands
    if plan.loaderFormat == .jpeg { info.scans = plan.bytes.withBuffer(JPEGSegments.scanCount) }
    info.needsColourConversion = shim_has_field(header.pointer, "icc-profile-data") != 0
        || header.interpretation == VIPS_INTERPRETATION_CMYK
    return info
}

/// Step: refuse what would cost too much, from the header alone.
func checkLimits(_ info: ImageInfo, _ limits: ImageLimits) throws(ImageError) {
    guard info.width > 0, info.height > 0 else { throw .corrupt(detail: "empty image") }
    let (pixels, overflow) = info.width.multipliedReportingOverflow(by: info.height)
    guard !overflow, pixels <= limits.maxPixels else { throw .tooManyPixels(limit: limits.maxPixels) }
    // Components count like pixels: a JPEG 2000 or TIFF of thousands of components costs
    // what as many images would. Up to five (CMYK and alpha) are a picture's own.
    let (samples, samplesOverflow) = pixels.multipliedReportingOverflow(by: max(1, info.bands))
    guard info.bands <= 5 || (!samplesOverflow && samples <= limits.maxPixels * 4) else {
        throw .tooManyPixels(limit: limits.maxPixels)
    }
    guard info.frames <= limits.maxFrames else { throw .tooManyFrames(limit: limits.maxFrames) }
    guard info.scans <= limits.maxScans else { throw .tooManyFrames(limit: limits.maxScans) }
    let (total, totalOverflow) = pixels.multipliedReportingOverflow(by: info.frames)
    guard !totalOverflow, total <= limits.maxTotalPixels else {
        throw .tooManyFrames(limit: limits.maxTotalPixels)
    }
}

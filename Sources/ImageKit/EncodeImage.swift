import CVips
import CVipsShim

/// Encoder settings per output format. WebP and AVIF qualities match JPEG Q85's median
/// SSIM on photos fitted to 1024 pixels (`scripts/measure-quality.py`, README "Formats on
/// request"): WebP Q85 at 0.85× JPEG's bytes, AVIF Q75 at 0.70×. AVIF at effort 1 (aom
/// speed 8): 0.5 s for a 12 MP photo where effort 4 takes 16 s.
enum EncoderSettings {
    static let jpegQuality: Int32 = 85
    static let webpQuality: Int32 = 85
    static let avifQuality: Int32 = 75
    static let effort: Int32 = 4
    static let avifEffort: Int32 = 1
}

/// How PNGs are written: zlib level, row filters, palette. `standard` was
/// chosen by measuring time against bytes (`remote-worker-bench png-settings`).
public struct PNGSettings: Sendable, Equatable, CustomStringConvertible {
    /// libvips' VipsForeignPngFilter bits.
    public enum Filter: Int32, Sendable, CaseIterable {
        case libvipsDefault = 0
        case none = 0x08
        case sub = 0x10
        case up = 0x20
        case paeth = 0x80
        /// libpng tries every filter per row and keeps the best.
        case adaptive = 0xF8
    }

    public var compression: Int32
    public var filter: Filter
    /// Quantise to 256 colours (lossy, far smaller).
    public var palette: Bool

    public init(compression: Int32, filter: Filter, palette: Bool = false) {
        self.compression = compression
        self.filter = filter
        self.palette = palette
    }

    /// zlib level 1 with the "up" row filter. Measured on the six avatars
    /// (`remote-worker-bench png-settings`, README "PNG settings"): against libvips'
    /// default (level 6, no filter) photos come out 18-40% smaller and 3-22% faster;
    /// flat graphics grow (a logo's avatars from 23 to 37 KB) at the same speed.
    public static let standard = PNGSettings(compression: 1, filter: .up)

    public var description: String { "compression=\(compression) filter=\(filter) palette=\(palette)" }
}

/// Step: encode with every metadata block stripped (pixels are already sRGB).
func encode(_ image: VipsImageHandle, as format: OutputFormat, png: PNGSettings) throws(ImageError) -> [UInt8] {
    var options = ShimSaveOptions()
    options.strip = 1
    options.quality = switch format {
    case .webp: EncoderSettings.webpQuality
    case .avif: EncoderSettings.avifQuality
    default: EncoderSettings.jpegQuality
    }
    options.compression = png.compression
    options.png_filter = png.filter.rawValue
    options.png_palette = png.palette ? 1 : 0
    if format == .png && png.palette { options.quality = 90 }
    options.effort = format == .avif ? EncoderSettings.avifEffort : EncoderSettings.effort

    // The metadata goes before the saver sees the image: savers' "strip" alone leaves EXIF in WebP.
    let image = try image.derive { shim_without_metadata($0) }
    var buffer: UnsafeMutableRawPointer? = nil
    var length = 0
    let status: Int32 = switch format {
    case .jpeg: shim_jpegsave_buffer(image.pointer, &buffer, &length, &options)
    case .png: shim_pngsave_buffer(image.pointer, &buffer, &length, &options)
    case .webp: shim_webpsave_buffer(image.pointer, &buffer, &length, &options)
    case .gif: shim_gifsave_buffer(image.pointer, &buffer, &length, &options)
    case .tiff: shim_tiffsave_buffer(image.pointer, &buffer, &length, &options)
    case .avif: shim_avifsave_buffer(image.pointer, &buffer, &length, &options)
    }
    // Decoding is lazy: errors in the source surface here, while pixels flow.
    guard status == 0, let buffer else {
        if let buffer { g_free(buffer) }
        throw .corrupt(detail: "encode \(format): \(VipsErrorBuffer.take())")
    }
    defer { g_free(buffer) }
    let bytes = Array(UnsafeRawBufferPointer(start: buffer, count: length))
    return format == .webp ? try stripWebPMetadata(bytes) : bytes
}

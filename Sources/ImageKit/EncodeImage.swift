import CVips
import CVipsShim

/// Encoder settings per output format.
enum EncoderSettings {
    static let jpegQuality: Int32 = 85
    static let webpQuality: Int32 = 80
    static let avifQuality: Int32 = 60
    static let pngCompression: Int32 = 6
    static let effort: Int32 = 4
}

/// Step: encode with every metadata block stripped (pixels are already sRGB).
func encode(_ image: VipsImageHandle, as format: OutputFormat) throws(ImageError) -> [UInt8] {
    var options = ShimSaveOptions()
    options.strip = 1
    options.quality = switch format {
    case .webp: EncoderSettings.webpQuality
    case .avif: EncoderSettings.avifQuality
    default: EncoderSettings.jpegQuality
    }
    options.compression = EncoderSettings.pngCompression
    options.effort = EncoderSettings.effort

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
    return Array(UnsafeRawBufferPointer(start: buffer, count: length))
}

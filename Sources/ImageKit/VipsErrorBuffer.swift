import CVips

/// The one place that reads libvips' per-thread error buffer, and clears it
/// in the same step so a later failure never reports an older message.
enum VipsErrorBuffer {
    static func take() -> String {
        let message = vips_error_buffer().map { String(cString: $0) } ?? ""
        vips_error_clear()
        return message.split(separator: "\n").joined(separator: "; ")
    }
}

import Bytes

/// Step: decide the format from content, against the allow-list.
///
/// libmagic's ICO rule is weak (it reports many icons as TGA), so the icon
/// directory is checked first by its own, stricter signature.
func sniffFormat(_ bytes: ImageBytes, sniffer: ContentSniffer) throws(ImageError) -> ImageFormat {
    if IcoDirectory(bytes) != nil { return .ico }
    let mime = sniffer.mimeType(of: bytes)
    guard let format = ImageFormat(mimeType: mime) else {
        throw .unsupportedType(detail: "libmagic says \(mime)")
    }
    if format == .svg, let construct = SVGAdmission.refusedConstruct(in: bytes) {
        throw .unsupportedType(detail: "SVG with \(construct)")
    }
    return format
}

/// SVG is drawn by librsvg, which decodes an `<image>`'s data (PNG, JPEG, GIF …) with
/// gdk-pixbuf, outside our list of formats and our limits, and can read files an
/// `<image>`, `<feImage>` or XInclude names. Such SVGs are refused; so is one that
/// declares entities. The check reads bytes, so it looks the same in any case.
enum SVGAdmission {
    static let refused = ["<image", "<feimage", "<xi:include", "<!entity"].map { Array($0.utf8) }

    /// The first refused construct in the file, or nil.
    static func refusedConstruct(in bytes: ImageBytes) -> String? {
        // One pass: at each '<', compare the few bytes after it, case folded.
        let reader = bytes.reader(.bigEndian)
        for offset in reader.window where bytes[offset] == 0x3C {
            for construct in refused where reader.matchesIgnoringCase(construct, at: offset) {
                return String(decoding: construct, as: UTF8.self) + ">"
            }
        }
        return nil
    }
}

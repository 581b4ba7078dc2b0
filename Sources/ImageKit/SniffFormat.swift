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
    return format
}

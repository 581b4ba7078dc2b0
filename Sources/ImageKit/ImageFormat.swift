/// The input formats the worker accepts, decided from content, never from names.
public enum ImageFormat: String, CaseIterable, Sendable {
    case jpeg, png, gif, bmp, tiff, webp, heic, avif, jp2, ico, icns, psd, svg

    /// The MIME type reported to clients in `uploaded.mime` and `mime_type`.
    public var mimeType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .gif: "image/gif"
        case .bmp: "image/bmp"
        case .tiff: "image/tiff"
        case .webp: "image/webp"
        case .heic: "image/heic"
        case .avif: "image/avif"
        case .jp2: "image/jp2"
        case .ico: "image/vnd.microsoft.icon"
        case .icns: "image/x-icns"
        case .psd: "image/vnd.adobe.photoshop"
        case .svg: "image/svg+xml"
        }
    }

    /// Maps a libmagic MIME type to a format we accept; nil means unsupported.
    public init?(mimeType: String) {
        switch mimeType {
        case "image/jpeg", "image/pjpeg": self = .jpeg
        case "image/png", "image/apng": self = .png
        case "image/gif": self = .gif
        case "image/bmp", "image/x-ms-bmp": self = .bmp
        case "image/tiff": self = .tiff
        case "image/webp": self = .webp
        case "image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence": self = .heic
        case "image/avif": self = .avif
        case "image/jp2", "image/x-jp2-codestream": self = .jp2
        case "image/vnd.microsoft.icon", "image/x-icon": self = .ico
        case "image/x-icns": self = .icns
        case "image/vnd.adobe.photoshop": self = .psd
        case "image/svg+xml", "image/svg": self = .svg
        default: return nil
        }
    }

    /// The libvips loader that must claim the bytes: if libvips' own sniffing picks
    /// another one, the content is ambiguous and is refused.
    var expectedLoaders: Set<String> {
        switch self {
        case .jpeg: ["VipsForeignLoadJpegBuffer"]
        case .png: ["VipsForeignLoadPngBuffer"]
        case .gif: ["VipsForeignLoadNsgifBuffer"]
        case .tiff: ["VipsForeignLoadTiffBuffer"]
        case .webp: ["VipsForeignLoadWebpBuffer"]
        case .heic, .avif: ["VipsForeignLoadHeifBuffer"]
        case .jp2: ["VipsForeignLoadJp2kBuffer"]
        case .svg: ["VipsForeignLoadSvgBuffer"]
        case .bmp, .psd, .ico: ["VipsForeignLoadMagickBuffer"]
        // ICNS is unwrapped to the PNG or JPEG 2000 image inside before loading.
        case .icns: []
        }
    }

    /// Whether libvips' page count means frames or pages for this format
    /// (for JPEG 2000 it counts resolution levels, for others it is always 1).
    var hasPages: Bool {
        switch self {
        case .gif, .webp, .tiff, .heic, .avif: true
        default: false
        }
    }

    /// Whether libvips' thumbnail shrinks this format on load. libvips 8.14 picks a
    /// wrong resolution level for JPEG 2000 held in a buffer: `loadThumbnail` picks it.
    var shrinksOnLoad: Bool { self != .jp2 }

    /// The format `fit` answers in: the input's own where libvips writes it well, else PNG.
    public var fitOutput: OutputFormat {
        switch self {
        case .jpeg: .jpeg
        case .png: .png
        case .gif: .gif
        case .webp: .webp
        case .tiff: .tiff
        case .avif: .avif
        case .bmp, .heic, .jp2, .ico, .icns, .psd, .svg: .png
        }
    }
}

/// The formats the worker writes.
public enum OutputFormat: String, Sendable {
    case jpeg, png, gif, webp, tiff, avif

    public var mimeType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .tiff: "image/tiff"
        case .avif: "image/avif"
        }
    }
}

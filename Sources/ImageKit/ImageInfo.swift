/// What the header of an upload says, read before any pixel is decoded.
public struct ImageInfo: Equatable, Sendable {
    public var format: ImageFormat
    /// Stored size, as the file declares it.
    public var width: Int
    public var height: Int
    public var frames: Int
    /// EXIF orientation 1-8 (1 when absent or out of range).
    public var orientation: Int
    /// Scans of a JPEG (progressive files have several; each costs a decoding pass). 1 otherwise.
    public var scans = 1
    /// Samples per pixel (components): 3 for RGB, 4 with alpha or CMYK.
    public var bands = 3
    /// An embedded ICC profile or CMYK pixels: colour must be converted to sRGB.
    var needsColourConversion = false

    /// Size once the orientation is applied: what a viewer shows.
    public var displayWidth: Int { orientation >= 5 ? height : width }
    public var displayHeight: Int { orientation >= 5 ? width : height }
}

/// Ceilings checked from the header, before decoding.
public struct ImageLimits: Sendable {
    public var maxPixels: Int
    public var maxFrames: Int
    public var maxTotalPixels: Int
    /// Most scans in a progressive JPEG.
    public var maxScans: Int
    /// Largest output of one request (all avatars together), checked as animations are written.
    public var maxOutputBytes: Int

    public init(maxPixels: Int, maxFrames: Int, maxTotalPixels: Int, maxScans: Int = 100, maxOutputBytes: Int = 64 * 1024 * 1024) {
        self.maxPixels = maxPixels
        self.maxFrames = maxFrames
        self.maxTotalPixels = maxTotalPixels
        self.maxScans = maxScans
        self.maxOutputBytes = maxOutputBytes
    }
}

/// An encoded output image.
public struct EncodedImage: Sendable {
    public var bytes: [UInt8]
    public var format: OutputFormat
    public var width: Int
    public var height: Int
    /// A placeholder to paint before the image arrives, from the same decode.
    public var placeholder: Placeholder?
}

/// One square avatar: PNG (animated: APNG), or WebP when asked for.
public struct Avatar: Sendable {
    public var size: Int
    /// The encoded avatar (PNG unless `format` says otherwise).
    public var png: [UInt8]
    public var format: OutputFormat = .png
}

/// The facade responders use: each public method is a literal list of named steps.
///
/// Not thread-safe; a responder handles one request at a time.
public final class ImageProcessor {
    private let sniffer: ContentSniffer
    private let limits: ImageLimits

    /// Call `VipsRuntime.start` first.
    public init(limits: ImageLimits) throws(ImageError) {
        self.sniffer = try ContentSniffer()
        self.limits = limits
    }

    /// The upload's format, from its bytes alone.
    public func detectFormat(_ bytes: ImageBytes) throws(ImageError) -> ImageFormat {
        try sniffFormat(bytes, sniffer: sniffer)
    }

    /// Whether libmagic calls the bytes a JPEG (no copy is made).
    public func isJPEG(_ bytes: [UInt8]) -> Bool {
        sniffer.mimeType(of: bytes) == ImageFormat.jpeg.mimeType
    }

    /// Header facts of an upload; decodes no pixels.
    public func inspect(_ bytes: ImageBytes) throws(ImageError) -> ImageInfo {
        try admit(bytes).info
    }

    /// The image fitted inside `box`×`box`, never enlarged, in the input's format where possible.
    public func fit(_ bytes: ImageBytes, box: Int) throws(ImageError) -> (info: ImageInfo, output: EncodedImage) {
        let (plan, info) = try admit(bytes)
        let resized = try loadThumbnail(plan, width: box, height: box, mode: .fitInside)
        let normalised = try normaliseColour(resized)
        let format = info.format.fitOutput
        let encoded = try encode(normalised, as: format)
        return (info, EncodedImage(bytes: encoded, format: format, width: normalised.width, height: normalised.height))
    }

    /// Square PNG avatars, decoded once at the largest size and scaled down from there.
    public func avatars(_ bytes: ImageBytes) throws(ImageError) -> (info: ImageInfo, avatars: [Avatar]) {
        let (plan, info) = try admit(bytes)
        let sizes = avatarSizes(width: info.displayWidth, height: info.displayHeight, isVector: info.format == .svg)
        if info.format == .svg {
            return (info, try sizes.map { size throws(ImageError) in try vectorAvatar(plan, size: size) })
        }
        let largest = sizes.max()!
        let square = try materialise(normaliseColour(loadThumbnail(plan, width: largest, height: largest, mode: .coverCentre)))
        var avatars: [Avatar] = []
        for size in sizes {
            let image = size == largest ? square : try resizeThumbnail(square, width: size, height: size, mode: .coverCentre)
            avatars.append(Avatar(size: size, png: try encode(image, as: .png)))
        }
        return (info, avatars)
    }

    /// A JPEG without location data and with its orientation applied losslessly.
    /// - Throws: `.unsupportedType` when the bytes are not a JPEG.
    /// Works on the upload's own array: no pixels are decoded, so no copy for libvips is needed.
    public func prepareJPEG(_ bytes: [UInt8], policy: MetadataPolicy) throws(ImageError) -> PreparedJPEG {
        guard isJPEG(bytes) else { throw .unsupportedType(detail: "not a JPEG") }
        // No pixel is decoded on the GPS-only path, and the transform checks its own input;
        // the frame header gives the size for the limits.
        return try ImageKit.prepareJPEG(bytes, policy: policy, limits: limits)
    }

    /// Sniff, unwrap containers, read the header, check the limits: everything before decoding.
    private func admit(_ bytes: ImageBytes) throws(ImageError) -> (plan: LoadPlan, info: ImageInfo) {
        let format = try sniffFormat(bytes, sniffer: sniffer)
        let plan = try unwrapContainer(bytes, format: format)
        let info = try probeHeader(plan)
        try checkLimits(info, limits)
        return (plan, info)
    }

    /// SVG is rendered straight at the avatar size and centred, uncropped, on a transparent square.
    private func vectorAvatar(_ plan: LoadPlan, size: Int) throws(ImageError) -> Avatar {
        let rendered = try normaliseColour(loadThumbnail(plan, width: size, height: size, mode: .fitInsideOrEnlarge))
        let square = try centreOnTransparentSquare(rendered, size: size)
        return Avatar(size: size, png: try encode(square, as: .png))
    }
}

import JPEGMetadata
/// The facade responders use: each public method is a literal list of named steps.
///
/// Not thread-safe; a responder handles one request at a time.
public final class ImageProcessor {
    private let sniffer: ContentSniffer
    private let limits: ImageLimits
    private let png: PNGSettings
    /// Told each input's format once it is known, before its header is read or a pixel
    /// decoded: a responder that crashes on the input can then say what it was.
    public var identified: (ImageFormat) -> Void = { _ in }

    /// Call `VipsRuntime.start` first.
    public init(limits: ImageLimits, png: PNGSettings = .standard) throws(ImageError) {
        self.sniffer = try ContentSniffer()
        self.limits = limits
        self.png = png
    }

    /// Whether libmagic calls the bytes a JPEG (no copy is made).
    public func isJPEG(_ bytes: [UInt8]) -> Bool {
        sniffer.mimeType(of: bytes) == ImageFormat.jpeg.mimeType
    }

    /// Header facts of an upload; decodes no pixels.
    public func inspect(_ bytes: ImageBytes) throws(ImageError) -> ImageInfo {
        try admit(bytes).info
    }

    /// Header facts, and the fingerprints of a small decode: a placeholder and perceptual
    /// hashes (nil when the pixels do not decode; the header facts stand either way).
    public func describe(_ bytes: ImageBytes) throws(ImageError) -> (info: ImageInfo, placeholder: Placeholder?, hashes: PerceptualHashes?) {
        let (plan, info) = try admit(bytes)
        guard let small = try? fingerprintDecode(plan, info: info) else { return (info, nil, nil) }
        return (info, try? placeholder(of: small), try? perceptualHashes(of: small))
    }

    /// The pixels the fingerprints of `describe` come from, for checking them against reference implementations.
    public func fingerprintInputs(_ bytes: ImageBytes) throws(ImageError) -> FingerprintInputs {
        let (plan, info) = try admit(bytes)
        let small = try fingerprintDecode(plan, info: info)
        let tiny = try rgbPixels(tinyThumbnail(small))
        let grids = try hashGrids(of: small)
        return FingerprintInputs(tiny: tiny, phashGrey: grids.phash, dhashGrey: grids.dhash)
    }

    /// The image fitted inside `box`×`box`, never enlarged, in the input's format where possible.
    /// - Parameter animated: keep an animated GIF, WebP or APNG animated, in its own format.
    /// - Parameter format: the output's format; nil for the input's own where the worker writes
    ///   it (else PNG). An animation stays animated in its own format, and a GIF or WebP one
    ///   also as WebP; asked for another format, it gives its first frame.
    /// - Parameter placeholder: make the output's placeholder (an answer of the image alone has no use for it).
    public func fit(_ bytes: ImageBytes, box: Int, animated: Bool = false, format requested: OutputFormat? = nil,
                    placeholder wantsPlaceholder: Bool = true) throws(ImageError) -> (info: ImageInfo, output: EncodedImage) {
        let (plan, info) = try admit(bytes)
        if animated && info.frames > 1 {
            let own = info.format.fitOutput
            switch (info.format, requested ?? own) {
            case (.gif, own), (.webp, own), (.gif, .webp):
                var output = try fitPagedAnimation(plan, box: box, format: requested ?? own)
                if wantsPlaceholder { output.placeholder = firstFramePlaceholder(plan, info: info) }
                return (info, output)
            case (.png, .png):
                var output = try fitAPNG(plan, box: box)
                if wantsPlaceholder { output.placeholder = firstFramePlaceholder(plan, info: info) }
                return (info, output)
            default: break
            }
        }
        let resized = try loadThumbnail(plan, width: box, height: box, mode: .fitInside, toSRGB: info.needsColourConversion)
        // Kept as the encoder streams them, so the placeholder's 32-pixel thumbnail reads the same
        // pixels from memory: no second decode, and decoding still overlaps encoding.
        let normalised = wantsPlaceholder ? try keepPixels(normaliseColour(resized)) : try normaliseColour(resized)
        let format = requested ?? info.format.fitOutput
        let encoded = try encode(normalised, as: format, png: png)
        return (info, EncodedImage(bytes: encoded, format: format, width: normalised.width, height: normalised.height,
                                   // A placeholder that cannot be made leaves the answer without one, never failed.
                                   placeholder: wantsPlaceholder ? try? placeholder(of: normalised) : nil))
    }

    /// The one decode `describe` makes, at 128 pixels: shrink-on-load does most of it (a JPEG
    /// decodes at 1/8), and 32-pixel grids resampled from it are as good as from the full image.
    private func fingerprintDecode(_ plan: LoadPlan, info: ImageInfo) throws(ImageError) -> VipsImageHandle {
        try materialise(normaliseColour(loadThumbnail(plan, width: 128, height: 128, mode: .fitInside,
                                                      toSRGB: info.needsColourConversion)))
    }

    /// An animation's placeholder: its first frame at 32 pixels (the strip of every frame
    /// is never held in memory, so this is the one second, tiny, decode).
    private func firstFramePlaceholder(_ plan: LoadPlan, info: ImageInfo) -> Placeholder? {
        try? placeholder(of: normaliseColour(loadThumbnail(plan, width: placeholderBox, height: placeholderBox, mode: .fitInside,
                                                           toSRGB: info.needsColourConversion)))
    }

    /// Square PNG avatars, decoded once at the largest size and scaled down from there.
    /// - Parameter animated: an animated source gives animated PNGs (APNG).
    /// - Parameter format: PNG (the contract's) or WebP; animated avatars are APNGs either way.
    public func avatars(_ bytes: ImageBytes, animated: Bool = false,
                        format: OutputFormat = .png) throws(ImageError) -> (info: ImageInfo, avatars: [Avatar], placeholder: Placeholder?) {
        let (plan, info) = try admit(bytes)
        let sizes = avatarSizes(width: info.displayWidth, height: info.displayHeight, isVector: info.format == .svg)
        if animated && info.frames > 1, var frames = try animationFrames(plan) {
            return (info, try animatedAvatars(&frames, sizes: sizes, indexed: info.format == .gif),
                    firstFramePlaceholder(plan, info: info))
        }
        if info.format == .svg {
            let avatars = try sizes.map { size throws(ImageError) in try vectorAvatar(plan, size: size, format: format) }
            return (info, avatars, firstFramePlaceholder(plan, info: info))
        }
        let largest = sizes.max()!
        let square = try materialise(normaliseColour(loadThumbnail(plan, width: largest, height: largest, mode: .coverCentre,
                                                                   toSRGB: info.needsColourConversion)))
        var avatars: [Avatar] = []
        for size in sizes {
            let image = size == largest ? square : try resizeThumbnail(square, width: size, height: size, mode: .coverCentre)
            avatars.append(Avatar(size: size, png: try encode(image, as: format, png: png), format: format))
        }
        return (info, avatars, try? placeholder(of: square))
    }

    /// A JPEG without location data and with its orientation applied losslessly.
    ///
    /// Works on the upload's own array: no pixel goes through libvips, so no copy for it is made.
    /// - Throws: `.unsupportedType` when the bytes are not a JPEG.
    public func prepareJPEG(_ bytes: [UInt8], policy: MetadataPolicy) throws(ImageError) -> PreparedJPEG {
        guard isJPEG(bytes) else { throw .unsupportedType(detail: "not a JPEG") }
        // No pixel is decoded on the GPS-only path, and the transform checks its own input;
        // the frame header gives the size for the limits.
        let frame: JPEGSegments
        do {
            frame = try JPEGSegments(bytes)
        } catch {
            throw .corrupt(detail: "jpeg structure: \(error)")
        }
        var info = ImageInfo(format: .jpeg, width: frame.width, height: frame.height, frames: 1, orientation: 1)
        info.scans = bytes.withUnsafeBytes(JPEGSegments.scanCount)
        try checkLimits(info, limits)
        do {
            return try JPEGMetadata.prepareJPEG(bytes, policy: policy)
        } catch {
            switch error {
            case .notJPEG: throw .unsupportedType(detail: "not a JPEG")
            case .corrupt(let detail): throw .corrupt(detail: detail)
            case .failed(let detail): throw .failed(detail: detail)
            }
        }
    }

    /// GIF and WebP: libvips resizes every page of the strip and its savers keep delays and loop count.
    private func fitPagedAnimation(_ plan: LoadPlan, box: Int, format: OutputFormat) throws(ImageError) -> EncodedImage {
        let allPages = LoadPlan(format: plan.format, bytes: plan.bytes, loaderFormat: plan.loaderFormat,
                                loadOptions: plan.loadOptions + ",n=-1")
        let resized = try normaliseColour(loadThumbnail(allPages, width: box, height: box, mode: .fitInside))
        let pageHeight = resized.int("page-height") ?? resized.height
        let bytes = try encode(resized, as: format, png: png)
        try checkOutputSize(bytes.count)
        return EncodedImage(bytes: bytes, format: format, width: resized.width, height: pageHeight)
    }

    /// Step: an animation's output stops at `maxOutputBytes`, checked after each frame, so
    /// a few noisy frames cannot grow a response (and a responder) without bound.
    private func checkOutputSize(_ bytes: Int) throws(ImageError) {
        guard bytes <= limits.maxOutputBytes else { throw .outputTooLarge(limit: limits.maxOutputBytes) }
    }

    /// APNG: frames composed one by one, each resized and written into a new APNG.
    private func fitAPNG(_ plan: LoadPlan, box: Int) throws(ImageError) -> EncodedImage {
        guard var frames = try animationFrames(plan) else { throw .corrupt(detail: "not an APNG") }
        var writer = APNGWriter(loops: frames.loops, frames: frames.frameCount, encode: encodeFramePNG)
        var size = (0, 0)
        while let (frame, delay) = try frames.next() {
            let resized = try resizeThumbnail(frame, width: box, height: box, mode: .fitInside)
            size = (resized.width, resized.height)
            try writer.append(resized.pixels(), delay: delay)
            try checkOutputSize(writer.byteCount)
        }
        return EncodedImage(bytes: try writer.finish(), format: .png, width: size.0, height: size.1)
    }

    /// Every avatar size from each frame in turn, so only one frame is decoded at a time.
    /// A GIF's avatars are indexed, with one palette learnt from its frames: a quarter of
    /// the bytes per pixel of RGBA, and no colour a GIF could not have had.
    private func animatedAvatars(_ frames: inout any AnimationFrames, sizes: [Int], indexed: Bool) throws(ImageError) -> [Avatar] {
        var writers = sizes.map { _ in APNGWriter(loops: frames.loops, frames: frames.frameCount, encode: encodeFramePNG) }
        var palette = IndexedPalette()
        while let (frame, delay) = try frames.next() {
            if indexed && !palette.isFull { palette.learn(from: try frame.pixels()) }
            for (index, size) in sizes.enumerated() {
                let square = try normaliseFrame(resizeThumbnail(frame, width: size, height: size, mode: .coverCentre))
                let pixels = try square.pixels()
                try writers[index].append(indexed ? palette.indices(of: pixels) : pixels, delay: delay)
            }
            try checkOutputSize(writers.reduce(0) { $0 + $1.byteCount })
        }
        var avatars: [Avatar] = []
        for (size, writer) in zip(sizes, writers) {
            avatars.append(Avatar(size: size, png: try writer.finish(palette: indexed ? palette : nil)))
        }
        return avatars
    }

    /// One APNG frame region as a PNG, never with libvips' own palette (the animation has
    /// one palette, or none). Indices go unfiltered at zlib level 6, as the PNG specification
    /// advises for palette images: on three 30-frame 480×270 GIFs the five avatars came out
    /// 29–38% smaller than with the RGBA settings, in the same time (`remote-worker-bench
    /// avatars-animated`, README "Animated avatars").
    private func encodeFramePNG(_ pixels: FramePixels) throws(ImageError) -> [UInt8] {
        let settings = pixels.bands == 1 ? PNGSettings(compression: 6, filter: .none)
            : PNGSettings(compression: png.compression, filter: png.filter)
        return try encode(VipsImageHandle.from(pixels), as: .png, png: settings)
    }

    /// The frames of an animated GIF, WebP or APNG; nil for other formats.
    private func animationFrames(_ plan: LoadPlan) throws(ImageError) -> (any AnimationFrames)? {
        switch plan.format {
        case .gif, .webp:
            return try PagedFrames(plan)
        case .png:
            guard let chunks = PNGChunk.read(plan.bytes.array) else { throw .corrupt(detail: "png chunks") }
            let structure: APNGStructure
            do throws(APNGStructure.Problem) {
                structure = try APNGStructure(chunks, maxFrames: limits.maxFrames)
            } catch .notAnimated {
                return nil
            } catch .tooManyFrames {
                throw .tooManyFrames(limit: limits.maxFrames)
            } catch {
                throw .corrupt(detail: "apng: \(error)")
            }
            return try APNGFrames(structure)
        default:
            return nil
        }
    }

    /// Sniff, unwrap containers, read the header, check the limits: everything before decoding.
    private func admit(_ bytes: ImageBytes) throws(ImageError) -> (plan: LoadPlan, info: ImageInfo) {
        let format = try sniffFormat(bytes, sniffer: sniffer)
        identified(format)
        let plan = try unwrapContainer(bytes, format: format)
        let info = try probeHeader(plan)
        try checkLimits(info, limits)
        return (plan, info)
    }

    /// SVG is rendered straight at the avatar size and centred, uncropped, on a transparent square.
    private func vectorAvatar(_ plan: LoadPlan, size: Int, format: OutputFormat) throws(ImageError) -> Avatar {
        let rendered = try normaliseColour(loadThumbnail(plan, width: size, height: size, mode: .fitInsideOrEnlarge))
        let square = try centreOnTransparentSquare(rendered, size: size)
        return Avatar(size: size, png: try encode(square, as: format, png: png), format: format)
    }
}

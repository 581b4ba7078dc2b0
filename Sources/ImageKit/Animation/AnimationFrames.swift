import CVips
import CVipsShim

/// The frames of an animation, one at a time, each a full canvas in 8-bit
/// sRGB with alpha. Only the canvas and the frame in hand are held, so a long
/// animation never sits in memory at full size.
protocol AnimationFrames {
    var loops: Int { get }
    var frameCount: Int { get }
    /// The next composed frame and its delay in milliseconds; nil after the last.
    mutating func next() throws(ImageError) -> (image: VipsImageHandle, delay: Int)?
}

/// Step: 8-bit sRGB with alpha, whatever the frame came in as.
func normaliseFrame(_ image: VipsImageHandle) throws(ImageError) -> VipsImageHandle {
    var result = image
    if result.interpretation != VIPS_INTERPRETATION_sRGB || result.bandFormat != VIPS_FORMAT_UCHAR {
        result = try result.derive { shim_colourspace($0, VIPS_INTERPRETATION_sRGB) }
    }
    if result.bandFormat != VIPS_FORMAT_UCHAR { result = try result.derive { shim_cast_uchar($0) } }
    if !result.hasAlpha { result = try result.derive { shim_addalpha($0) } }
    return result
}

/// GIF and WebP animations: libvips decodes them as a strip of pages. Pages
/// are loaded in batches, so at most one batch of decoded frames is in memory.
struct PagedFrames: AnimationFrames {
    private let plan: LoadPlan
    private let delays: [Int]
    private var batch: VipsImageHandle?
    private var batchStart = 0
    private var batchCount = 0
    private var index = 0
    let loops: Int
    let frameCount: Int
    /// Frames per batch: bounds memory (32 frames of 480×270 RGBA are 17 MB) while
    /// keeping the re-decoding a GIF needs to reach a batch's first frame small.
    static let batchSize = 32

    init(_ plan: LoadPlan) throws(ImageError) {
        self.plan = plan
        // The header of every page, without decoding pixels: count, timings, loop.
        let header = try VipsImageHandle.wrap(
            shim_image_new_from_buffer(plan.bytes.baseAddress, plan.bytes.count, plan.loadOptions + ",n=-1"),
            source: plan.bytes
        ) { .corrupt(detail: "load frames: \($0)") }
        frameCount = max(1, header.int("n-pages") ?? 1)
        loops = header.int("loop") ?? 0
        delays = header.intArray("delay")
    }

    mutating func next() throws(ImageError) -> (image: VipsImageHandle, delay: Int)? {
        guard index < frameCount else { return nil }
        if batch == nil || index >= batchStart + batchCount {
            batch = nil
            batchStart = index
            batchCount = min(Self.batchSize, frameCount - index)
            batch = try VipsImageHandle.wrap(
                shim_image_new_from_buffer(plan.bytes.baseAddress, plan.bytes.count,
                                           plan.loadOptions + ",page=\(batchStart),n=\(batchCount)"),
                source: plan.bytes
            ) { .corrupt(detail: "load frames: \($0)") }
        }
        guard let batch else { return nil }
        let pageHeight = batch.height / batchCount
        guard pageHeight > 0 else { throw .corrupt(detail: "empty page") }
        let top = (index - batchStart) * pageHeight
        let frame = try batch.derive { shim_extract_area($0, 0, Int32(top), Int32(batch.width), Int32(pageHeight)) }
        let delay = index < delays.count ? delays[index] : 100
        index += 1
        return (try materialise(normaliseFrame(frame)), delay)
    }
}

/// APNG: each frame is decoded as an ordinary PNG and composed on the canvas
/// with its blend operation; its dispose operation prepares the next.
struct APNGFrames: AnimationFrames {
    private let structure: APNGStructure
    private var canvas: VipsImageHandle
    private var index = 0
    var loops: Int { structure.loops }
    var frameCount: Int { structure.frames.count }

    init(_ structure: APNGStructure) throws(ImageError) {
        self.structure = structure
        canvas = try VipsImageHandle.wrap(shim_transparent_canvas(Int32(structure.width), Int32(structure.height)),
                                          source: nil) { .failed(detail: "canvas: \($0)") }
    }

    mutating func next() throws(ImageError) -> (image: VipsImageHandle, delay: Int)? {
        guard index < structure.frames.count else { return nil }
        let frame = structure.frames[index]
        index += 1
        let bytes = ImageBytes(copying: structure.standalonePNG(of: frame))
        let decoded = try normaliseFrame(VipsImageHandle.wrap(
            shim_image_new_from_buffer(bytes.baseAddress, bytes.count, strictLoadOption), source: bytes
        ) { .corrupt(detail: "apng frame: \($0)") })
        let before = canvas
        let drawn = try materialise(canvas.derive { base in
            switch frame.blend {
            case .source: shim_insert(base, decoded.pointer, Int32(frame.x), Int32(frame.y))
            case .over: shim_composite_over(base, decoded.pointer, Int32(frame.x), Int32(frame.y))
            }
        })
        let composed = try normaliseFrame(drawn)
        switch frame.dispose {
        case .none:
            canvas = composed
        case .background:
            let clear = try VipsImageHandle.wrap(shim_transparent_canvas(Int32(frame.width), Int32(frame.height)),
                                                 source: nil) { .failed(detail: "canvas: \($0)") }
            canvas = try materialise(composed.derive { shim_insert($0, clear.pointer, Int32(frame.x), Int32(frame.y)) })
        case .previous:
            canvas = before
        }
        return (composed, frame.delay)
    }
}

import ImageKit
import ResponderCore

extension Response {
    /// This response, with the upload's header facts for the request log.
    func describing(_ input: ImageInfo) -> Response {
        logging([
            ("input_type", input.format.mimeType), ("input_width", String(input.width)),
            ("input_height", String(input.height)), ("input_frames", String(input.frames)),
        ])
    }
}

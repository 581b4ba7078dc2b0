import ImageKit
import ResponderCore
import Upload

/// The client-facing errors of image work and of reading an upload.
extension ServiceError {
    init(_ error: ImageError) {
        switch error {
        case .unsupportedType(let detail): self = .unsupportedType(detail: detail)
        case .corrupt(let detail): self = .corruptImage(detail: detail)
        case .tooManyPixels(let limit): self = .tooManyPixels(limit: limit)
        case .tooManyFrames(let limit): self = .tooManyFrames(limit: limit)
        case .outputTooLarge(let limit): self = .outputTooLarge(limit: limit)
        case .failed(let detail): self = .internalError(detail: detail)
        }
    }

    init(_ error: UploadError) {
        switch error {
        case .noFile: self = .noFile
        // A body that is not valid multipart carries no usable file.
        case .malformed: self = .noFile
        }
    }
}

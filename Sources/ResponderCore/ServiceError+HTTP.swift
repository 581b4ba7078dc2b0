import Logging

/// The single mapping of errors to HTTP status, `code`, public message and log level.
public extension ServiceError {
    public var status: Int {
        switch self {
        case .noFile, .unsupportedType, .notJPEG, .badParameter, .corruptImage, .incompleteBody: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .tooLarge: 413
        case .tooManyPixels, .tooManyFrames, .outputTooLarge: 422
        case .notImplemented: 501
        case .timeout, .overloaded: 503
        case .internalError: 500
        }
    }

    public var code: String {
        switch self {
        case .noFile: "no_file"
        case .unsupportedType: "unsupported_type"
        case .notJPEG: "not_jpeg"
        case .badParameter: "bad_parameter"
        case .corruptImage: "corrupt_image"
        case .tooLarge: "too_large"
        case .incompleteBody: "incomplete_body"
        case .tooManyPixels: "too_many_pixels"
        case .tooManyFrames: "too_many_frames"
        case .outputTooLarge: "output_too_large"
        case .timeout: "timeout"
        case .overloaded: "overloaded"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .notImplemented: "not_implemented"
        case .internalError: "internal"
        }
    }

    public var publicMessage: String {
        switch self {
        case .noFile: "No file was uploaded"
        case .unsupportedType: "Unable to determine the file type"
        case .notJPEG: "This endpoint is only for processing JPEG images"
        case .badParameter(let message): message
        case .corruptImage: "The image is damaged or cannot be decoded"
        case .tooLarge(let limit): "The upload is larger than the limit of \(limit) bytes"
        case .incompleteBody: "The upload ended before the length it declared"
        case .tooManyPixels(let limit): "The image has more than the limit of \(limit) pixels per frame"
        case .tooManyFrames(let limit): "The image exceeds the limit of \(limit) (frames or progressive scans, or frames times pixels)"
        case .outputTooLarge(let limit): "The output would be larger than the limit of \(limit) bytes"
        case .timeout: "Processing took longer than the time limit"
        case .overloaded: "The worker is busy; retry shortly"
        case .unauthorized: "Missing or wrong worker secret"
        case .forbidden: "Not for this address"
        case .notFound: "No such endpoint"
        case .methodNotAllowed: "Method not allowed on this endpoint"
        case .notImplemented: "This endpoint is not available yet"
        case .internalError: "Internal error"
        }
    }

    public var logLevel: Logger.Level {
        switch self {
        case .internalError: .error
        case .timeout, .overloaded, .incompleteBody: .warning
        default: .info
        }
    }

    /// What the log gets beyond the public message.
    public var logDetail: String? {
        switch self {
        case .unsupportedType(let detail), .corruptImage(let detail), .internalError(let detail): detail
        case let .incompleteBody(received, declared): "received \(received) of \(declared) bytes"
        default: nil
        }
    }
}

import Logging

/// The single mapping of errors to HTTP status, `code`, public message and log level.
public extension ServiceError {
    var status: Int {
        switch self {
        case .noFile, .unsupportedType, .notJPEG, .badParameter, .corruptImage, .incompleteBody, .badURL: 400
        case .unauthorized: 401
        case .forbidden, .blockedAddress, .badSignature: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .tooLarge, .fetchTooLarge: 413
        case .tooManyPixels, .tooManyFrames, .outputTooLarge, .unsupportedContent: 422
        // The target's failures, told apart from the worker's own 500 and 503.
        case .fetchFailed: 502
        case .fetchTimeout: 504
        case .notImplemented: 501
        case .timeout, .overloaded: 503
        case .internalError: 500
        // nginx's own number for a client that closed the connection before the answer.
        case .cancelled: 499
        }
    }

    var code: String {
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
        case .badURL: "bad_url"
        case .blockedAddress: "blocked_address"
        case .fetchTooLarge: "too_large"
        case .unsupportedContent: "unsupported_content"
        case .fetchFailed: "fetch_failed"
        case .fetchTimeout: "fetch_timeout"
        case .cancelled: "client_gone"
        case .badSignature: "bad_signature"
        }
    }

    var publicMessage: String {
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
        case .badURL(let why): "The link cannot be previewed: \(why)"
        case .blockedAddress: "The link leads to an address that is not previewed"
        case .fetchTooLarge(let limit): "The linked page or image is larger than the limit of \(limit) bytes"
        case .unsupportedContent: "The link is not to a page or image that can be previewed"
        case .fetchFailed(_, let status?): "The linked site answered with status \(status)"
        case .fetchFailed: "The linked site could not be reached"
        case .fetchTimeout: "The linked site took longer than the time limit"
        case .cancelled: "The request was abandoned by its client"
        case .badSignature: "The link is not signed, or not signed for this"
        }
    }

    var logLevel: Logger.Level {
        switch self {
        case .internalError: .error
        case .timeout, .overloaded, .incompleteBody: .warning
        default: .info
        }
    }

    /// What the log gets beyond the public message.
    var logDetail: String? {
        switch self {
        case .unsupportedType(let detail), .corruptImage(let detail), .internalError(let detail),
             .unsupportedContent(let detail), .fetchFailed(let detail, _): detail
        case let .incompleteBody(received, declared): "received \(received) of \(declared) bytes"
        default: nil
        }
    }
}

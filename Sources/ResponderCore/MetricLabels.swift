/// The `code` label of each finished request, by index on the scoreboard.
public enum MetricLabels {
    /// "ok" first, then every error code; the order is the scoreboard's, so only append.
    public static let codes: [String] = ["ok"] + ServiceError.examples.map(\.code)

    public static func codeIndex(_ failure: ServiceError?) -> Int {
        guard let failure else { return 0 }
        return codes.firstIndex(of: failure.code) ?? 0
    }
}

public extension ServiceError {
    /// Every case of `ServiceError` without its payload, in scoreboard order (so only append).
    /// The two switches below are checked by the compiler: a new case cannot be left out of
    /// the tables built over all codes.
    enum Kind: CaseIterable, Sendable {
        case noFile, unsupportedType, notJPEG, badParameter, corruptImage
        case tooLarge, tooManyPixels, tooManyFrames, timeout, overloaded
        case notFound, methodNotAllowed, notImplemented, internalError
        case unauthorized, incompleteBody, outputTooLarge, forbidden
        case badURL, blockedAddress, fetchTooLarge, unsupportedContent
        case fetchFailed, fetchTimeout, abandoned, badSignature

        /// One value of the case.
        public var example: ServiceError {
            switch self {
            case .noFile: .noFile
            case .unsupportedType: .unsupportedType(detail: "")
            case .notJPEG: .notJPEG
            case .badParameter: .badParameter("")
            case .corruptImage: .corruptImage(detail: "")
            case .tooLarge: .tooLarge(limit: 0)
            case .tooManyPixels: .tooManyPixels(limit: 0)
            case .tooManyFrames: .tooManyFrames(limit: 0)
            case .timeout: .timeout
            case .overloaded: .overloaded
            case .notFound: .notFound
            case .methodNotAllowed: .methodNotAllowed(allowed: [])
            case .notImplemented: .notImplemented
            case .internalError: .internalError(detail: "")
            case .unauthorized: .unauthorized
            case .incompleteBody: .incompleteBody(received: 0, declared: 0)
            case .outputTooLarge: .outputTooLarge(limit: 0)
            case .forbidden: .forbidden
            case .badURL: .badURL("")
            case .blockedAddress: .blockedAddress
            case .fetchTooLarge: .fetchTooLarge(limit: 0)
            case .unsupportedContent: .unsupportedContent(detail: "")
            case .fetchFailed: .fetchFailed(detail: "", targetStatus: nil)
            case .fetchTimeout: .fetchTimeout
            case .abandoned: .cancelled
            case .badSignature: .badSignature
            }
        }
    }

    var kind: Kind {
        switch self {
        case .noFile: .noFile
        case .unsupportedType: .unsupportedType
        case .notJPEG: .notJPEG
        case .badParameter: .badParameter
        case .corruptImage: .corruptImage
        case .tooLarge: .tooLarge
        case .incompleteBody: .incompleteBody
        case .tooManyPixels: .tooManyPixels
        case .tooManyFrames: .tooManyFrames
        case .outputTooLarge: .outputTooLarge
        case .timeout: .timeout
        case .overloaded: .overloaded
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .notImplemented: .notImplemented
        case .internalError: .internalError
        case .badURL: .badURL
        case .blockedAddress: .blockedAddress
        case .fetchTooLarge: .fetchTooLarge
        case .unsupportedContent: .unsupportedContent
        case .fetchFailed: .fetchFailed
        case .fetchTimeout: .fetchTimeout
        case .cancelled: .abandoned
        case .badSignature: .badSignature
        }
    }

    /// One value of every case, so tables over all codes cannot miss one.
    static let examples: [ServiceError] = Kind.allCases.map(\.example)
}

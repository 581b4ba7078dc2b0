/// Every way a request can fail, as the client sees it.
///
/// Detail strings (`detail:`) go to the log only; clients get the fixed
/// sentences of `ServiceError+HTTP.swift`.
public enum ServiceError: Error, Equatable, Sendable {
    case noFile
    case unsupportedType(detail: String)
    case notJPEG
    case badParameter(String)
    case corruptImage(detail: String)
    case tooLarge(limit: Int)
    /// The body ended before the length its request declared.
    case incompleteBody(received: Int, declared: Int)
    case tooManyPixels(limit: Int)
    case tooManyFrames(limit: Int)
    case outputTooLarge(limit: Int)
    case timeout
    case overloaded
    case unauthorized
    /// The operator's pages, asked for by a request nginx did not mark as from an operator's address.
    case forbidden
    case notFound
    /// Lists the methods the path takes, for the Allow header.
    case methodNotAllowed(allowed: [String])
    case notImplemented
    case internalError(detail: String)
    /// A link that is not previewed: not http(s), credentials, a port not allowed, unparsable.
    case badURL(String)
    /// A link (or a redirect, or a name's address) that leads where previews never go.
    case blockedAddress
    /// A fetched page or image past its byte limit, counted after decompression.
    case fetchTooLarge(limit: Int)
    /// A fetched page that is not something a preview is made of.
    case unsupportedContent(detail: String)
    /// The target site failed: no answer, a TLS failure, or an error status.
    case fetchFailed(detail: String, targetStatus: Int?)
    /// The target site was too slow.
    case fetchTimeout
    /// The client went away (nginx closed the connection or aborted the request): the work was
    /// abandoned, and the answer goes nowhere.
    case cancelled
    /// A signed link without its signature, or with one that does not sign what it asks for.
    case badSignature
}

import LinkPreview
import LinkSigning
import ResponderCore

/// Who may ask for a preview. The forum's backend sends the shared secret; a member's
/// browser may ask only with a link the forum signed (`sig`, see `LinkSignature`), so
/// nobody else can use the worker as an open fetcher that sends their traffic from the
/// worker's addresses. With no signing key set, the shared secret alone decides, as for
/// every route. Asking past nginx's cache (`X-Preview-Refresh`) takes the secret when
/// one is set.
struct PreviewAccess: Sendable {
    let signer: LinkSignature
    let secret: String

    /// The request carries the shared secret (when one is set).
    func hasSecret(_ request: Request) -> Bool {
        !secret.isEmpty && SharedSecret.admits(request, secret: secret)
    }

    /// Whether `sig` signs the request's link: what lets a request without the secret in.
    func isSigned(_ request: Request) -> Bool {
        guard signer.isEnabled, let signature = request.query["sig"], let link = try? PreviewEndpoint.link(of: request)
        else { return false }
        return signer.verifies(signature, of: link, for: .preview)
    }

    /// Refuses what may not ask for `link`.
    func check(_ request: Request) throws(ServiceError) {
        if request.refresh && !secret.isEmpty && !hasSecret(request) { throw .unauthorized }
        guard signer.isEnabled, !hasSecret(request) else { return }
        guard isSigned(request) else { throw .badSignature }
    }

    /// The signature for a link the worker sends a client on to (its normal form), when links are signed.
    func signature(for link: String) -> String? {
        signer.sign(link, for: .preview)
    }
}

/// How long nginx's cache (and any other) may keep a preview's answer: a card for a day
/// unless the page asks for less, a site's failure ten minutes, a refusal of the link
/// itself a day; what depends on the asker or on the worker's own state (a signature,
/// the secret, being busy) never.
enum PreviewCaching {
    static let day = 86_400
    static let siteFailure = 600

    static func header(forCard page: Fetcher.Page) -> (String, String) {
        guard let seconds = lifetime(askedBy: page.cacheControl) else { return ("Cache-Control", "no-store") }
        return ("Cache-Control", "public, max-age=\(seconds)")
    }

    static func headers(for error: ServiceError) -> [(String, String)] {
        switch error {
        case .badURL, .blockedAddress: [("Cache-Control", "public, max-age=\(day)")]
        case .fetchFailed, .fetchTimeout, .fetchTooLarge, .unsupportedContent: [("Cache-Control", "public, max-age=\(siteFailure)")]
        default: [("Cache-Control", "no-store")]
        }
    }

    /// A day, or less when the page's Cache-Control says so; nil when it says not to keep it.
    static func lifetime(askedBy cacheControl: String) -> Int? {
        var seconds = day
        for directive in cacheControl.lowercased().split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: " \t\"") }
            switch parts.first {
            case "no-store", "no-cache", "private": return nil
            case "max-age", "s-maxage":
                guard parts.count == 2, parts[1].count <= 12, let value = Int(parts[1]), value >= 0 else { continue }
                seconds = min(seconds, value)
            default: continue
            }
        }
        return seconds > 0 ? seconds : nil
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

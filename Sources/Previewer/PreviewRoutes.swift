import LinkSigning
import Logging
import ResponderCore
import Scoreboard

/// What the link-preview pool's handlers share.
final class PreviewContext: PoolContext {
    let previewer: LinkPreviewer
    let logger: Logger
    let scoreboard: Scoreboard?
    let clock: @Sendable () -> Double = unixTime
    let access: PreviewAccess

    init(previewer: LinkPreviewer, logger: Logger, scoreboard: Scoreboard?, access: PreviewAccess) {
        self.previewer = previewer
        self.logger = logger
        self.scoreboard = scoreboard
        self.access = access
    }
}

/// Every route of the link-preview pool: the preview, and the pool's own operator pages.
enum PreviewRoutes {
    typealias PreviewRoute = Route<PreviewContext>

    static let table: RouteTable<PreviewContext> = RouteTable([
        preview,
    ] + PreviewRoute.operatorPages(under: "/links") { report })

    /// A member's browser may ask with a signed link instead of the secret; answers say how long they keep.
    static var preview: PreviewRoute {
        var route = PreviewRoute("preview", ["GET", "POST"], .exact("/links/preview"),
                                 usage: .init(unlessQuery: "url", PreviewEndpoint.usage),
                                 awaiting: { request, context async throws(ServiceError) in
                                     try await PreviewEndpoint.respond(to: request, in: context)
                                 })
        route.admitsSigned = { request, context in context.access.isSigned(request) }
        route.errorHeaders = PreviewCaching.headers(for:)
        return route
    }

    static let report: PoolReport = PoolReport(pool: "remote-worker-preview", labels: table.labels)
}

import Logging
import ResponderCore
import Scoreboard

/// What the link-preview pool's handlers share.
final class PreviewContext: PoolContext {
    let previewer: LinkPreviewer
    let logger: Logger
    let scoreboard: Scoreboard?
    let clock: @Sendable () -> Double = unixTime

    init(previewer: LinkPreviewer, logger: Logger, scoreboard: Scoreboard?) {
        self.previewer = previewer
        self.logger = logger
        self.scoreboard = scoreboard
    }
}

/// Every route of the link-preview pool: the preview, and the pool's own operator pages.
enum PreviewRoutes {
    typealias PreviewRoute = Route<PreviewContext>

    static let table: RouteTable<PreviewContext> = RouteTable([
        PreviewRoute("preview", ["GET", "POST"], .exact("/links/preview"),
                     usage: .init(unlessQuery: "url", PreviewEndpoint.usage)) { request, context throws(ServiceError) in
            try PreviewEndpoint.respond(to: request, in: context)
        },
    ] + PreviewRoute.operatorPages(under: "/links") { report })

    static let report: PoolReport = PoolReport(pool: "remote-worker-preview", labels: table.labels)
}

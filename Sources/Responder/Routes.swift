import ResponderCore

/// Every route of the image pool, in one list: method and path to endpoint, each
/// counted under its label. The serving core checks the secret, answers 404, 405 and
/// the usage documents, and maps errors for all of them.
enum Routes {
    typealias ImageRoute = Route<EndpointContext>

    static let table: RouteTable<EndpointContext> = RouteTable(contractRoutes + ImageRoute.operatorPages { PoolReport.images } + debugRoutes)

    private static let contractRoutes: [ImageRoute] = [
        route("root", ["GET", "HEAD"], .exact("/"), RootEndpoint()),
        route("ping", ["GET", "HEAD"], .exact("/ping"), PingEndpoint()),
        route("hello", ["GET", "HEAD"], .exact("/hello"), HelloEndpoint()),
        route("info", ["GET", "POST"], .exact("/images/info"), InfoEndpoint(), usage: .init(
            "POST an image (multipart field 'file') to get its width, height, type and frame count, a placeholder (blurhash, dominant_color) and perceptual hashes (phash, dhash).")),
        route("prepare_jpeg", ["GET", "POST"], .exact("/images/prepare_jpeg"), PrepareJpegEndpoint(), usage: .init(
            "POST a JPEG (multipart field 'file') to get it back without GPS data and with its orientation applied losslessly; add ?simple=1 for the JPEG itself, ?strip=all to drop all metadata but the colour profile.")),
        route("fit", ["GET", "POST"], .prefix("/images/fit/"), FitEndpoint(), parameter: "box", usage: .init { context in
            "POST an image (multipart field 'file') to /images/fit/{box}, box 1 to \(context.configuration.maxBox), to get it fitted inside box×box; add ?simple=1 for the image itself, ?animated=1 to keep a GIF, WebP or APNG animated, ?format=webp|avif|jpeg|png|auto for another output format (auto: from the Accept header)."
        }),
        route("rescale_avatar", ["GET", "POST"], .exact("/images/rescale_avatar"), AvatarEndpoint(), usage: avatarUsage),
        route("resize_avatar", ["GET", "POST"], .exact("/images/resize_avatar"), AvatarEndpoint(), usage: avatarUsage),
    ]

    private static let avatarUsage = ImageRoute.Usage(
        "POST an image (multipart field 'file') to get square PNG avatars of 24, 48 and 73 pixels, and 128, 256 and 512 when the image is that large; add ?animated=1 for animated PNGs from an animated source, ?format=webp (or auto, from the Accept header) for WebP avatars.")

    #if DEBUG
    /// Fault injection for the tests; compiled out of release builds.
    private static let debugRoutes: [ImageRoute] = [
        route("debug", ["GET"], .prefix("/debug/sleep/"), DebugSleepEndpoint()),
        route("debug", ["GET", "POST"], .prefix("/debug/crash/"), DebugCrashEndpoint()),
        route("debug", ["GET"], .prefix("/debug/leak/"), DebugLeakEndpoint()),
        route("debug", ["GET"], .exact("/debug/escape"), DebugEscapeEndpoint()),
        route("debug", ["GET"], .prefix("/debug/lie/"), DebugLieEndpoint()),
    ]
    #else
    private static let debugRoutes: [ImageRoute] = []
    #endif

    private static func route(_ label: String, _ methods: Set<String>, _ path: ImageRoute.Path, _ endpoint: some Endpoint,
                              parameter: String = "parameter", usage: ImageRoute.Usage? = nil) -> ImageRoute {
        ImageRoute(label, methods, path, parameter: parameter, usage: usage) { request, context throws(ServiceError) in
            try endpoint.respond(to: request, in: context)
        }
    }
}

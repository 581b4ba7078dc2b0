#if DEBUG
#if canImport(Glibc)
import Glibc
#endif

/// `GET /debug/sleep/{ms}`: holds the responder, to test time limits and
/// load. Debug builds only.
struct DebugSleepEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        guard let milliseconds = Int(request.routeParameter), (0...600_000).contains(milliseconds) else {
            throw .badParameter("sleep takes milliseconds")
        }
        usleep(UInt32(milliseconds) * 1000)
        return Response(body: Array("{\"status\":\"ok\",\"success\":true}".utf8))
    }
}

/// `GET /debug/crash`: the responder dies as a decoder exploit would make it.
/// Debug builds only.
struct DebugCrashEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        abort()
    }
}
#endif

import ResponderCore
import Scoreboard

/// `GET /status`: the pool as php-fpm's status page shows it, from the shared
/// scoreboard, so whichever responder answers speaks for the whole pool.
struct StatusEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        // Only through nginx's operator rules: the scoreboard is not for the forum's visitors.
        guard request.operatorAccess else { throw .forbidden }
        guard let scoreboard = context.scoreboard else { throw .notImplemented }
        let board = scoreboard.snapshot()
        let now = context.clock()
        let monotonicNow = monotonicSeconds()
        var json = JSONWriter(capacity: 512 + board.responders.count * 200)
        json.beginObject()
        json.field("status", "ok")
        json.field("success", true)
        json.field("pool", "remote-worker")
        json.field("start_time", board.startedAt)
        json.field("start_since", Int(now - board.startedAt))
        json.field("accepted_conn", board.accepted)
        json.field("listen_queue", board.listenQueue)
        json.field("max_listen_queue", board.listenQueueMax)
        json.field("listen_queue_len", board.listenQueueLength)
        json.field("idle_processes", board.idle)
        json.field("active_processes", board.active)
        json.field("total_processes", board.responders.count)
        json.field("max_active_processes", board.maxActive)
        json.field("max_children_reached", board.maxActiveReached)
        json.field("slow_requests", board.slowRequests)
        json.field("spawned", board.spawned)
        json.field("crashes", board.crashes)
        json.field("deadline_kills", board.deadlineKills)
        json.field("memory_retirements", board.memoryRetirements)
        json.field("location_detector_drops", board.locationDetectorDrops)
        json.key("processes")
        json.beginArray()
        for responder in board.responders.sorted(by: { $0.slot < $1.slot }) {
            json.beginObject()
            json.field("pid", Int(responder.pid))
            json.field("state", responder.state.name)
            json.field("start_time", responder.spawnedAt)
            json.field("start_since", Int(now - responder.spawnedAt))
            json.field("requests", responder.requests)
            if responder.state == .busy {
                json.field("request_duration_ms", Int((monotonicNow - responder.busySince) * 1000))
            }
            json.field("last_request_ms", Int((responder.lastDuration * 1000).rounded()))
            if Routes.labels.indices.contains(responder.endpoint) {
                json.field(responder.state == .busy ? "endpoint" : "last_endpoint", Routes.labels[responder.endpoint])
            }
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return .json(json)
    }
}

import CProcessControl
import LinkPreview
import Logging
import ResponderCore
import Scoreboard
import WorkerConfig

#if canImport(Glibc)
import Glibc
#endif

/// How a fetcher serves: many FastCGI connections at once on one event loop, each
/// request a task that is suspended while it waits on the network. A slow site
/// costs a socket and a suspended task, not a process. Connections come from the
/// pool's listening socket (descriptor 0), which every fetcher of the pool watches;
/// a fetcher at its connection cap stops accepting and leaves the queue to the others.
final class PreviewServer: ServingStrategy, @unchecked Sendable {
    private let service: RoutedService<PreviewContext>
    private let loop: FetchLoop
    private let allowed: ClientAllowList
    private let maxConnections: Int
    private let idleTimeout: Double
    private let maxBodyBytes: Int
    private var listenerToken: UInt64?
    private var connections: [ObjectIdentifier: PreviewConnection] = [:]
    private var started: [ObjectIdentifier: Double] = [:]
    private var retiring = false
    private var served = 0

    /// - Parameter maxConnections: connections this fetcher holds at most.
    init(service: RoutedService<PreviewContext>, loop: FetchLoop, configuration: WorkerConfiguration, maxConnections: Int) {
        self.service = service
        self.loop = loop
        allowed = ClientAllowList(configuration.allowedClients)
        self.maxConnections = maxConnections
        idleTimeout = Double(configuration.idleTimeoutSeconds)
        maxBodyBytes = PreviewEndpoint.maxBodyBytes
    }

    func serve(configuration: WorkerConfiguration, seat: ServingLoop.Seat?, logger: Logger) -> Int {
        self.seat = seat
        self.logger = logger
        var mask = sigset_t()
        ps_waiting_signal_mask(&mask)
        loop.waitMask = mask
        _ = ps_set_nonblocking(0)
        listen(true)
        seat?.scoreboard.markIdle(slot: seat?.slot ?? 0)
        let retireAfter = configuration.maxRequests * PreviewServer.requestsPerResponderRequest
        logger.debug("fetcher ready", metadata: ["max_connections": "\(maxConnections)"])
        var stopSince: Double?
        while true {
            loop.turn(maxWait: 0.25)
            if ps_stop_requested() != 0 || retiring || served >= retireAfter {
                if stopSince == nil {
                    stopSince = monotonicSeconds()
                    // What is already queued is still taken: a stopping pool leaves no connection unanswered.
                    acceptQueued()
                    stopListening()
                }
                let drained = connections.values.allSatisfy { !$0.isBusy }
                if drained || monotonicSeconds() - stopSince! > Double(configuration.timeLimitSeconds) { break }
            }
        }
        for connection in Array(connections.values) { connection.close() }
        return served
    }

    // MARK: accepting

    private func listen(_ on: Bool) {
        if on, listenerToken == nil {
            listenerToken = loop.watch(0, readable: true, writable: false) { [weak self] _ in
                self?.acceptQueued()
            }
        } else if !on, let token = listenerToken {
            loop.unwatch(0, token: token)
            listenerToken = nil
        }
    }

    private func stopListening() {
        listen(false)
        _ = Glibc.close(0)
    }

    // Set once serving starts; the handlers run on the loop's thread only.
    private var seat: ServingLoop.Seat?
    private var logger: Logger?

    private func acceptQueued() {
        while connections.count < maxConnections {
            var family: Int32 = 0
            var ipv4: UInt32 = 0
            let descriptor = ps_accept_connection(0, &family, &ipv4)
            guard descriptor >= 0 else {
                if descriptor == -ECONNABORTED || descriptor == -EPROTO { continue }
                break // EAGAIN: another fetcher took it, or nothing is queued
            }
            let peer: ClientAllowList.Peer = switch family {
            case AF_UNIX: .local
            case AF_INET: .ipv4(ipv4)
            default: .other
            }
            guard allowed.admits(peer), ps_set_nonblocking(descriptor) == 0 else {
                _ = Glibc.close(descriptor)
                continue
            }
            let connection = PreviewConnection(descriptor: descriptor, server: self, maxBodyBytes: maxBodyBytes,
                                               idleTimeout: idleTimeout)
            guard connection.start() else { continue }
            connections[ObjectIdentifier(connection)] = connection
        }
        // At the cap: the queue is left to the other fetchers until a connection closes.
        listen(connections.count < maxConnections && !retiring && ps_stop_requested() == 0)
    }

    var loopForConnections: FetchLoop { loop }

    func closed(_ connection: PreviewConnection) {
        connections[ObjectIdentifier(connection)] = nil
        if listenerToken == nil && !retiring && ps_stop_requested() == 0 { listen(true) }
    }

    // MARK: requests

    /// A request arrived whole on `connection`: routed, counted, and answered by a task on the loop.
    func received(_ request: Request, refusal: ServiceError?, on connection: PreviewConnection) -> Task<Void, Never> {
        let start = monotonicSeconds()
        started[ObjectIdentifier(connection)] = start
        reportBusy(acceptedAt: start)
        let resolution = service.table.resolve(method: request.method, path: request.path)
        let label = refusal == nil ? resolution.label : service.unroutedLabel
        seat?.routed(endpoint: label)
        let service = self.service
        return Task(executorPreference: loop.executor) { [weak self, weak connection] in
            let answer: (Response, ServiceError?)
            if let refusal {
                answer = (Response.error(refusal), refusal)
            } else {
                answer = await service.respond(to: request, resolution)
            }
            self?.finished(request, answer.0, answer.1, label: label, started: start, on: connection)
        }
    }

    private func finished(_ request: Request, _ response: Response, _ failure: ServiceError?, label: Int, started start: Double,
                          on connection: PreviewConnection?) {
        if let connection { started[ObjectIdentifier(connection)] = nil }
        connection?.answer(response)
        served += 1
        if let logger {
            let slowAfter = Double(service.context.previewer.settings.slowRequestMilliseconds) / 1000
            ServingLoop.account(request, response, failure, label: label, started: start, slowAfter: slowAfter,
                                seat: seat, logger: logger)
        }
        if let oldest = started.values.min() { seat?.busy(since: oldest) }
        if let logger, !retiring,
           ServingLoop.shouldRetire(configuration: service.context.previewer.settings, seat: seat, logger: logger) {
            retiring = true
        }
    }

    /// The scoreboard counts the request and keeps the oldest one's start, which the deadline watches.
    private func reportBusy(acceptedAt now: Double) {
        seat?.accepted(now: now)
        if let oldest = started.values.min(), oldest < now { seat?.busy(since: oldest) }
    }

    /// How many times more requests a fetcher serves before it retires than a one-at-a-time responder.
    static let requestsPerResponderRequest = 50
}

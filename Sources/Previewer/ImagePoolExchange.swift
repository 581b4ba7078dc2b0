import CProcessControl
import LinkPreview
import ResponderCore
import WorkerConfig

#if canImport(Glibc)
import Glibc
#endif

/// One FastCGI exchange with the image pool, on the fetcher's event loop: connect,
/// send the request's records, read the answer's records (checked as they come, the
/// size capped), all without blocking, given up at the preview's deadline or when the
/// preview is abandoned.
final class ImagePoolExchange: @unchecked Sendable {
    private let address: ListenAddress
    private let maxAnswerBytes: Int
    private let loop: FetchLoop
    private let records: [UInt8]
    private var sent = 0
    private var connected = false
    private var reader: FastCGIRecords.ResponseReader
    private var descriptor: Int32 = -1
    private var token: UInt64?
    private var timer: UInt64?
    private var finish: ((Result<[UInt8], ImagePoolClient.Failure>) -> Void)?

    init(address: ListenAddress, maxAnswerBytes: Int, loop: FetchLoop, records: [UInt8]) {
        self.address = address
        self.maxAnswerBytes = maxAnswerBytes
        self.loop = loop
        self.records = records
        reader = FastCGIRecords.ResponseReader(maxBytes: maxAnswerBytes)
    }

    /// The answer's stdout.
    func run(deadline: Double) async throws(ImagePoolClient.Failure) -> [UInt8] {
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<[UInt8], ImagePoolClient.Failure>, Never>) in
                finish = { continuation.resume(returning: $0) }
                guard !Task.isCancelled else { return end(.failure(.unreachable("the preview was abandoned"))) }
                start(deadline: deadline)
            }
        } onCancel: {
            self.end(.failure(.unreachable("the preview was abandoned")))
        }
        return try result.get()
    }

    private func start(deadline: Double) {
        switch address {
        case .unix(let path): descriptor = ps_connect_nonblocking(path, nil, 0)
        case .tcp(let host, let port): descriptor = ps_connect_nonblocking(nil, host, Int32(port))
        }
        guard descriptor >= 0 else { return end(.failure(.unreachable("connect: \(String(cString: strerror(-descriptor)))"))) }
        timer = loop.after(max(0, deadline - FetchLoop.now())) { [weak self] in
            self?.end(.failure(.unreachable("no answer in time")))
        }
        token = loop.watch(descriptor, readable: true, writable: true) { [weak self] readiness in self?.ready(readiness) }
        if token == nil { end(.failure(.unreachable("cannot watch the connection"))) }
    }

    private func ready(_ readiness: FetchLoop.Readiness) {
        if readiness.writable && !connected {
            let outcome = ps_connect_outcome(descriptor)
            guard outcome == 0 else { return end(.failure(.unreachable("connect: \(String(cString: strerror(-outcome)))"))) }
            connected = true
        }
        if readiness.writable && sent < records.count { write() }
        if readiness.readable || readiness.hangup { read() }
    }

    private func write() {
        let written = records.withUnsafeBytes { raw in
            ps_write_some(descriptor, raw.baseAddress! + sent, raw.count - sent)
        }
        if written == -Int(EAGAIN) { return }
        guard written > 0 else { return end(.failure(.unreachable("send: \(String(cString: strerror(Int32(-written))))"))) }
        sent += written
        if sent == records.count, let token { loop.change(descriptor, token: token, readable: true, writable: false) }
    }

    private func read() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while finish != nil {
            let got = buffer.withUnsafeMutableBytes { ps_read_some(descriptor, $0.baseAddress, $0.count) }
            if got == -Int(EAGAIN) { return }
            guard got > 0 else {
                return end(.failure(.unreachable(got == 0 ? "the image pool closed early"
                                                          : "receive: \(String(cString: strerror(Int32(-got))))")))
            }
            do throws(FastCGIRecords.ResponseReader.Malformed) {
                try reader.take(buffer[0..<got])
            } catch {
                return end(.failure(.malformed(error.description)))
            }
            if reader.ended { return end(.success(reader.stdout)) }
        }
    }

    private func end(_ result: Result<[UInt8], ImagePoolClient.Failure>) {
        guard let finish else { return }
        self.finish = nil
        if let timer { loop.cancelTimer(timer) }
        if descriptor >= 0 {
            if let token { loop.unwatch(descriptor, token: token) }
            close(descriptor)
            descriptor = -1
        }
        finish(result)
    }
}

-- wrk script: POSTs one file as the multipart field "file", as the forum does,
-- and prints the latency percentiles and request rate as one JSON line.
-- Environment: UPLOAD_FILE (the image), UPLOAD_PATH (e.g. /images/fit/1024).
local boundary = "----remote-worker-bench"
local file = assert(io.open(os.getenv("UPLOAD_FILE"), "rb"))
local content = file:read("*all")
file:close()

wrk.method = "POST"
wrk.path = os.getenv("UPLOAD_PATH")
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.body = "--" .. boundary .. "\r\n"
    .. 'Content-Disposition: form-data; name="file"; filename="upload"\r\n'
    .. "Content-Type: application/octet-stream\r\n\r\n"
    .. content .. "\r\n--" .. boundary .. "--\r\n"

function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write
        + summary.errors.status + summary.errors.timeout
    io.write(string.format(
        '{"requests": %d, "errors": %d, "rps": %.2f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f}\n',
        summary.requests, errors, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end

import Foundation
import Testing

/// The exact JSON shapes of the API contract, key by key.
@Suite struct ApiShapeTests {
    var stack: WorkerStack { get async throws { try await WorkerStack.shared } }
    let photo = try! Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("photo-1024x683.jpg"))

    @Test func root_isAnEmptyObject() async throws {
        let response = try await stack.get("/")
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "{}")
        #expect(response.contentType == "application/json;charset=utf-8")
    }

    @Test func ping_hasPongAndUptime() async throws {
        let json = try await stack.get("/ping").json
        #expect(Set(json.keys) == ["status", "message", "uptime", "success"])
        #expect(json["message"] as? String == "pong")
        #expect((json["uptime"] as? Double ?? -1) >= 0)
    }

    @Test func hello_reportsIdentity() async throws {
        let json = try await stack.get("/hello").json
        #expect(Set(json.keys) == ["status", "uid", "uptime", "country", "region", "success"])
        #expect(json["success"] as? Bool == true)
    }

    @Test func info_hasTheContractFields() async throws {
        let response = try await stack.post("/images/info", file: photo)
        #expect(response.contentType == "application/json;charset=utf-8")
        let json = response.json
        #expect(Set(json.keys).isSuperset(of: ["status", "success", "width", "height", "mime_type", "binary_size", "frames"]))
        #expect(json["status"] as? String == "ok")
        #expect(json["width"] as? Int == 1024 && json["height"] as? Int == 683)
    }

    @Test func fit_hasUploadedTimingAndOutput() async throws {
        let json = try await stack.post("/images/fit/300", file: photo).json
        #expect(Set(json.keys).isSuperset(of: ["uploaded", "status", "success", "start", "end", "cost", "output", "output_mime"]))
        let uploaded = try #require(json["uploaded"] as? [String: Any])
        #expect(Set(uploaded.keys) == ["size", "mime"])
        #expect(uploaded["size"] as? Int == photo.count && uploaded["mime"] as? String == "image/jpeg")
        let start = try #require(json["start"] as? Double)
        let end = try #require(json["end"] as? Double)
        #expect(end >= start && abs(start - Date().timeIntervalSince1970) < 60)
        #expect(json["cost"] as? Int == Int(((end - start) * 1000).rounded()))
        #expect(json["output_mime"] as? String == "image/jpeg")
        let output = try #require(json["output"] as? String)
        #expect(!output.contains("\n") && Data(base64Encoded: output) != nil)
    }

    @Test func fit_simple_returnsTheImageItself() async throws {
        let response = try await stack.post("/images/fit/300?simple=1", file: photo)
        #expect(response.status == 200)
        #expect(response.contentType == "image/jpeg")
        #expect(await Decoder.header(of: response.body) == .init(width: 300, height: 200, loader: "jpegload"))
    }

    @Test func avatars_bothPathsAnswerTheSame() async throws {
        for path in ["/images/rescale_avatar", "/images/resize_avatar"] {
            let json = try await stack.post(path, file: photo).json
            // The contract's fields, and the three added ones (placeholder and output type).
            #expect(Set(json.keys) == ["uploaded", "status", "success", "start", "end", "cost",
                                       "avatar24", "avatar48", "avatar73", "avatar128", "avatar256", "avatar512",
                                       "blurhash", "dominant_color", "output_mime"])
            let avatar = try #require(json["avatar73"] as? [String: Any])
            #expect(Set(avatar.keys) == ["size", "body"])
        }
    }

    @Test("GET on a processing endpoint is its usage document",
          arguments: ["/images/info", "/images/fit/100", "/images/rescale_avatar", "/images/resize_avatar", "/images/prepare_jpeg"])
    func usage(_ path: String) async throws {
        let response = try await stack.get(path)
        #expect(response.status == 200)
        #expect(Set(response.json.keys) == ["status", "success", "usage"])
        #expect((response.json["usage"] as? String)?.isEmpty == false)
    }

    @Test func rawBody_isAcceptedLikeMultipart() async throws {
        let response = try await stack.post("/images/info", body: photo, contentType: "image/jpeg")
        #expect(response.status == 200)
        #expect(response.json["width"] as? Int == 1024)
    }

    @Test func filenameIsNeverTrusted() async throws {
        let png = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))
        let response = try await stack.post("/images/info", file: png, filename: "photo.jpg")
        #expect(response.json["mime_type"] as? String == "image/png")
    }
}

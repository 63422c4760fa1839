import CLibPNG
import Foundation

/// PNG encoding and decoding of RGBA canvases through libpng's simplified API.
public enum PNGCodec {
    // `PNG_FORMAT_RGBA` is a compound macro that Swift does not import; it is these two flags.
    private static let rgbaFormat = UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)

    /// Encodes `canvas` as an 8-bit RGBA PNG.
    ///
    /// - Parameters:
    ///   - canvas: the pixels to encode.
    ///   - path: only used to name the destination in an error message.
    /// - Throws: `MetricsIOError.pngEncodingFailed` with libpng's message.
    public static func encode(_ canvas: Canvas, path: String = "<memory>") throws(MetricsIOError) -> [UInt8] {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(canvas.width)
        image.height = UInt32(canvas.height)
        image.format = rgbaFormat
        let rowStride = Int32(canvas.width * 4)

        // One compression pass into a buffer that fits any figure (plots compress far below their raw
        // size); only if it is too small does libpng report the exact size, and a second pass follows.
        // Sizing with a NULL buffer first would compress every image twice.
        var capacity = canvas.pixels.count / 2 + 4096
        var output: [UInt8] = []
        for _ in 0..<2 {
            output = [UInt8](repeating: 0, count: capacity)
            var size = capacity
            let succeeded = output.withUnsafeMutableBytes { buffer in
                canvas.pixels.withUnsafeBytes { pixels in
                    png_image_write_to_memory(&image, buffer.baseAddress, &size, 0, pixels.baseAddress, rowStride, nil)
                }
            }
            if succeeded != 0 { return Array(output.prefix(size)) }
            guard size > capacity else { break }
            capacity = size
        }
        throw .pngEncodingFailed(path: path, message: message(of: &image))
    }

    /// Encodes `canvas` and writes it atomically to `url`.
    public static func write(_ canvas: Canvas, to url: URL) throws(MetricsIOError) {
        try writeAtomically(try encode(canvas, path: url.path), to: url)
    }

    /// Decodes PNG bytes into an RGBA canvas (any PNG colour type is converted to 8-bit RGBA).
    ///
    /// - Parameters:
    ///   - bytes: the contents of a PNG file.
    ///   - path: only used to name the source in an error message.
    /// - Throws: `MetricsIOError.pngDecodingFailed` with libpng's message.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws(MetricsIOError) -> Canvas {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let begun = bytes.withUnsafeBytes { buffer in
            png_image_begin_read_from_memory(&image, buffer.baseAddress, buffer.count)
        }
        guard begun != 0 else { throw .pngDecodingFailed(path: path, message: message(of: &image)) }
        let width = Int(image.width), height = Int(image.height)
        // Refuse absurd headers before allocating: a corrupt file must not exhaust memory.
        guard width > 0, height > 0, width <= 1 << 15, height <= 1 << 15 else {
            png_image_free(&image)
            throw .pngDecodingFailed(path: path, message: "unsupported image size \(width)x\(height)")
        }
        image.format = rgbaFormat
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        // libpng keeps a pointer into `bytes` between begin and finish, so both run inside one borrow.
        let finished = bytes.withUnsafeBytes { _ in
            pixels.withUnsafeMutableBytes { buffer in
                png_image_finish_read(&image, nil, buffer.baseAddress, Int32(width * 4), nil)
            }
        }
        guard finished != 0 else { throw .pngDecodingFailed(path: path, message: message(of: &image)) }
        return Canvas(width: width, height: height, rgba: pixels)
    }

    /// Reads and decodes the PNG file at `url`.
    public static func read(_ url: URL) throws(MetricsIOError) -> Canvas {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            let code = (error as NSError).domain == NSPOSIXErrorDomain ? Int32((error as NSError).code) : 0
            throw .cannotRead(path: url.path, errno: code == 0 ? ENOENT : code)
        }
        return try decode(bytes, path: url.path)
    }

    private static func message(of image: inout png_image) -> String {
        let text = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        png_image_free(&image)
        return text.isEmpty ? "libpng reported failure without a message" : text
    }
}

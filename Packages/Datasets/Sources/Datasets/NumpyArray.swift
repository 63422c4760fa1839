import Tensors

/// A floating-point NumPy `.npy` array (format versions 1, 2 and 3; dtypes `<f8` and `<f4`; C order).
///
/// Anything else (big-endian or integer dtypes, Fortran order, object arrays) is rejected with
/// ``DatasetError/unsupportedNumpy(file:offset:detail:)`` rather than guessed at.
public struct NumpyArray: Sendable, Equatable {
    /// Extents, outermost first (`[]` for a 0-d array).
    public var shape: [Int]
    /// The elements in C (row-major) order, widened to Double.
    public var values: [Double]
    /// The dtype string from the header (`<f8` or `<f4`).
    public var dtype: String

    /// Parses `.npy` bytes already in memory; `file` is named in errors.
    public init(parsing data: [UInt8], file: String) throws {
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        try FileBytes.require(data, offset: 0, count: 8, file: file)
        guard data[0..<6].elementsEqual(magic) else {
            throw DatasetError.badMagic(file: file, offset: 0, found: hex(data[0..<6]), expected: hex(magic))
        }
        let major = data[6]
        let lengthWidth: Int
        switch major {
        case 1: lengthWidth = 2
        case 2, 3: lengthWidth = 4
        default:
            throw DatasetError.unsupportedNumpy(file: file, offset: 6, detail: "format version \(major).\(data[7])")
        }
        let headerLength = try FileBytes.littleEndian(data, at: 8, width: lengthWidth, file: file)
        let headerStart = 8 + lengthWidth
        try FileBytes.require(data, offset: headerStart, count: headerLength, file: file)
        let header = String(decoding: data[headerStart..<headerStart + headerLength], as: UTF8.self)
        let dictionary = try NumpyArray.parseHeader(header, file: file, offset: headerStart)
        let itemSize: Int
        switch dictionary.descr {
        case "<f8": itemSize = 8
        case "<f4": itemSize = 4
        default:
            throw DatasetError.unsupportedNumpy(
                file: file, offset: headerStart, detail: "dtype '\(dictionary.descr)' (only '<f8' and '<f4')")
        }
        guard !dictionary.fortranOrder else {
            throw DatasetError.unsupportedNumpy(file: file, offset: headerStart, detail: "Fortran order")
        }
        var count = 1
        for extent in dictionary.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= 1 << 36 else {
                throw DatasetError.unsupportedNumpy(
                    file: file, offset: headerStart, detail: "shape \(dictionary.shape) is implausibly large")
            }
            count = product
        }
        let dataStart = headerStart + headerLength
        try FileBytes.require(data, offset: dataStart, count: count * itemSize, file: file)
        let end = dataStart + count * itemSize
        if data.count > end { throw DatasetError.oversized(file: file, offset: end, extra: data.count - end) }
        var values = [Double](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            let base = raw.baseAddress! + dataStart
            for i in 0..<count {
                if itemSize == 8 {
                    values[i] = Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                } else {
                    values[i] = Double(Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
                }
            }
        }
        self.shape = dictionary.shape
        self.values = values
        self.dtype = dictionary.descr
    }

    /// Reads a `.npy` file from disk.
    public init(contentsOf path: String) throws {
        try self.init(parsing: FileBytes.read(path), file: path)
    }

    /// The array as a Float tensor (the experiments train in float32).
    public var floatTensor: Tensor<Float> { Tensor(shape: shape, scalars: values.map { Float($0) }) }

    /// The array as a Double tensor.
    public var doubleTensor: Tensor<Double> { Tensor(shape: shape, scalars: values) }

    struct HeaderDictionary {
        var descr: String
        var fortranOrder: Bool
        var shape: [Int]
    }

    /// Parses the Python dict literal `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 17), }`.
    static func parseHeader(_ header: String, file: String, offset: Int) throws -> HeaderDictionary {
        func fail(_ detail: String) -> DatasetError {
            .malformedHeader(file: file, offset: offset, detail: "\(detail) in npy header \(header.prefix(120).debugDescription)")
        }
        func value(of key: String) throws -> Substring {
            guard let keyRange = header.range(of: "'\(key)'") else { throw fail("no '\(key)' key") }
            var rest = header[keyRange.upperBound...].drop { $0 == " " }
            guard rest.first == ":" else { throw fail("no ':' after '\(key)'") }
            rest = rest.dropFirst().drop { $0 == " " }
            return rest
        }
        let descrText = try value(of: "descr")
        guard descrText.first == "'" || descrText.first == "\"" else {
            throw DatasetError.unsupportedNumpy(file: file, offset: offset, detail: "structured dtype")
        }
        let quote = descrText.first!
        guard let close = descrText.dropFirst().firstIndex(of: quote) else { throw fail("unterminated descr") }
        let descr = String(descrText[descrText.index(after: descrText.startIndex)..<close])
        let fortranText = try value(of: "fortran_order")
        let fortran: Bool
        if fortranText.hasPrefix("False") { fortran = false } else if fortranText.hasPrefix("True") { fortran = true } else {
            throw fail("fortran_order is neither True nor False")
        }
        let shapeText = try value(of: "shape")
        guard shapeText.first == "(", let closeParen = shapeText.firstIndex(of: ")") else { throw fail("shape is not a tuple") }
        let inner = shapeText[shapeText.index(after: shapeText.startIndex)..<closeParen]
        var shape: [Int] = []
        for part in inner.split(separator: ",") {
            let trimmed = String(part).trimmingSpaces()
            if trimmed.isEmpty { continue }
            guard let extent = Int(trimmed.hasSuffix("L") ? String(trimmed.dropLast()) : trimmed), extent >= 0 else {
                throw fail("shape entry '\(trimmed)' is not a non-negative integer")
            }
            shape.append(extent)
        }
        return HeaderDictionary(descr: descr, fortranOrder: fortran, shape: shape)
    }
}

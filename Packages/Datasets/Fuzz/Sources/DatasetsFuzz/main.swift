import Datasets
import Foundation

// `datasets-fuzz TARGET [libFuzzer options] [corpus folders]`: runs libFuzzer on one loader. A loader may
// return a value or throw a DatasetError; anything else (a trap, another error type, an address-sanitizer
// report) is a finding and stops the run with the input saved by libFuzzer.

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

var arguments = CommandLine.arguments
guard arguments.count >= 2, let target = fuzzTargets.first(where: { $0.name == arguments[1] }) else {
    FileHandle.standardError.write(Data("usage: datasets-fuzz TARGET [libFuzzer options] [corpus...]; targets: \(fuzzTargets.map(\.name).joined(separator: ", "))\n".utf8))
    exit(2)
}
/// The loader being fuzzed (read by the C callback, which cannot capture).
nonisolated(unsafe) var current = target
/// The file each input is written to: in the scratch folder, named by target so sniffing by name is exercised.
nonisolated(unsafe) var scratchFile = NSTemporaryDirectory() + "datasets-fuzz-\(getpid())-\(target.name)"
atexit { unlink(scratchFile) }

/// libFuzzer's entry for one input, also named for its own `main` (linked from its archive, but SwiftPM's
/// `--defsym main=` makes the program start in this file, which calls `LLVMFuzzerRunDriver`).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    // Plain open/write: FileManager's atomic write would cost a rename and a directory sync per input.
    let descriptor = open(scratchFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0, size == 0 || write(descriptor, data!, size) == size, close(descriptor) == 0 else {
        fatalError("cannot write the scratch file \(scratchFile): errno \(errno)")
    }
    do {
        try current.load(scratchFile)
    } catch is DatasetError {
        // A typed, named error is the expected outcome for a damaged file.
    } catch {
        fatalError("\(current.name): a loader threw \(type(of: error)), not DatasetError: \(error)")
    }
    return 0
}

arguments.remove(at: 1)
var argc = Int32(arguments.count)
var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
let status = cArguments.withUnsafeMutableBufferPointer { buffer -> Int32 in
    var argv = buffer.baseAddress
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) }
}
exit(status)

/// Byte ranges of the lines of a text file, with `\n` or `\r\n` endings (the `\r` is not part of the
/// line).
///
/// Every text loader splits bytes with this one function rather than `String.split("\n")`: Swift treats
/// `"\r\n"` as a single `Character`, so a character split leaves CRLF files as one line, or shifts rows
/// when only some lines end in CRLF. Empty lines are kept (as empty ranges) so line numbers stay true.
func textLines(_ bytes: [UInt8]) -> [Range<Int>] {
    var lines: [Range<Int>] = []
    var start = 0
    for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "\n") {
        var end = i
        if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        lines.append(start..<end)
        start = i + 1
    }
    return lines
}

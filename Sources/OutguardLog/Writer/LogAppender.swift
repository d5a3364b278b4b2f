/// Adds one record to a log from outside the daemon (`outguard logs label`), through the
/// writer's own file handling (folder made, a torn last line ended, fsync), in one
/// `write(2)` with `O_APPEND`, so a daemon writing the same file at the same time cannot
/// interleave with it. It never rotates: that is the daemon's, and one line over
/// `max_bytes` harms nothing.
public enum LogAppender {
    public static func append(_ record: LogRecord, to settings: LogFileSettings) throws(LogFileError) {
        var file = RotatingFile(settings)
        defer { file.closeFile() }
        do {
            try file.openIfNeeded()
            try file.append(record.encodedLine()[...])
            try file.sync()
        } catch {
            throw .cannotWrite(error.description)
        }
    }
}

import OutguardCLI

/// The executable: everything is in `OutguardCommand`, a library so tests can drive it.
@main
enum Outguard {
    static func main() async {
        await OutguardCommand.main()
    }
}

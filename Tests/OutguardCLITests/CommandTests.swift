import ArgumentParser
import OutguardCLI
import Testing

@Test func rootCommandHasHelp() {
    let help = OutguardCommand.helpMessage()
    #expect(help.contains("outguard"))
}

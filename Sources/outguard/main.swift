import OutguardCLI

await OutguardCommand.main()

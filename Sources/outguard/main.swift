import OutguardCLI

OutguardCommand.main()

import RandWireCLI

RandWireMain.exitWithRun()

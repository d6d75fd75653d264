from lintra.cli.entry import main

main()

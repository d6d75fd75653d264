from lintra.cli import main

main()

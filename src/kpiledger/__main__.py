from kpiledger.cli import main

main()

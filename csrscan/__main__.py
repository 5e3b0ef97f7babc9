from csrscan.cli import main

main()

from csrscan.cli.root import run

run()

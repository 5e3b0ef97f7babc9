from csrscan.cli import run

run()

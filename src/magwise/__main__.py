from magwise.cli import run

run()

from magwise.cli import main

main()

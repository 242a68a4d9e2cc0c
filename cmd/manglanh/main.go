// Command manglanh runs Mạng Lành: the protective DNS resolver, the early-warning
// engine, the report and case portal and the programme statistics of a ward.
package main

import (
	"os"

	"manglanh/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

//go:build linux || darwin

package dnsserver

import "golang.org/x/sys/unix"

// fileLimit returns the process's soft limit of open files (the Go runtime
// has already raised it to the hard limit at start-up), 0 if unknown.
func fileLimit() uint64 {
	var r unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &r) != nil || r.Cur == unix.RLIM_INFINITY {
		return 0
	}
	return r.Cur
}

//go:build !linux

package dnsserver

import "syscall"

// reusePort is a no-op where SO_REUSEPORT is not used: the readers share
// one socket.
func reusePort(_, _ string, _ syscall.RawConn) error { return nil }

const haveReusePort = false

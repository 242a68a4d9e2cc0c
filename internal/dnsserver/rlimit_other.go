//go:build !linux && !darwin

package dnsserver

// fileLimit is unknown outside Unix: the configured totals stand.
func fileLimit() uint64 { return 0 }

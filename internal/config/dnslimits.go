package config

import "time"

// connLimits checks dns.max_tcp_conns, dns.max_tls_conns,
// dns.max_conns_per_client and dns.error_rate_limit / _burst: not negative
// (0 takes the built-in default, or turns the error limit off), and the
// per-client bound no larger than a transport's total.
func (c *checker) connLimits(d *DNS) {
	for _, k := range []struct {
		key string
		v   int
	}{{"dns.max_tcp_conns", d.MaxTCPConns}, {"dns.max_tls_conns", d.MaxTLSConns}, {"dns.max_conns_per_client", d.MaxConnsPerClient},
		{"dns.error_rate_limit", d.ErrorRateLimit}, {"dns.error_rate_burst", d.ErrorRateBurst}} {
		if k.v < 0 {
			c.add(k.key, "không được âm", "must not be negative")
		}
	}
	if d.MaxConnsPerClient > 0 {
		for _, k := range []struct {
			key string
			v   int
		}{{"dns.max_tcp_conns", d.MaxTCPConns}, {"dns.max_tls_conns", d.MaxTLSConns}} {
			if k.v > 0 && d.MaxConnsPerClient > k.v {
				c.add("dns.max_conns_per_client", "%d lớn hơn %s (%d): một máy khách có thể chiếm hết kết nối",
					"%d is above %s (%d): one client could take every connection", d.MaxConnsPerClient, k.key, k.v)
				return
			}
		}
	}
}

// upstreamHealth checks dns.stale_answer_after, dns.upstream_down_after
// and dns.upstream_probe_every.
func (c *checker) upstreamHealth(d *DNS) {
	if d.Listen == "" {
		return
	}
	if d.StaleAnswerAfter <= 0 {
		c.add("dns.stale_answer_after", "phải lớn hơn 0 (mặc định 1.8s)", "must be greater than 0 (default 1.8s)")
	}
	if d.UpstreamDownAfter < 1 {
		c.add("dns.upstream_down_after", "phải từ 1 trở lên (mặc định 3)", "must be at least 1 (default 3)")
	}
	if d.UpstreamProbeEvery < 100*time.Millisecond {
		c.add("dns.upstream_probe_every", "phải từ 100ms trở lên (mặc định 3s)", "must be at least 100ms (default 3s)")
	}
}

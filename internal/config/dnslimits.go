package config

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

package config

// connLimits checks dns.max_tcp_conns, dns.max_tls_conns and
// dns.max_conns_per_client: positive (0 takes the built-in default), and
// the per-client bound no larger than a transport's total.
func (c *checker) connLimits(d *DNS) {
	for _, k := range []struct {
		key string
		v   int
	}{{"dns.max_tcp_conns", d.MaxTCPConns}, {"dns.max_tls_conns", d.MaxTLSConns}, {"dns.max_conns_per_client", d.MaxConnsPerClient}} {
		if k.v < 0 {
			c.add(k.key, "không được âm (0 là mặc định)", "must not be negative (0 is the default)")
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

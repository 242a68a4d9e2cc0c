package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type httpMetrics struct {
	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	csrfRejected prometheus.Counter
	uploadsBusy  prometheus.Counter
}

func newHTTPMetrics(reg *prometheus.Registry) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "manglanh_http_requests_total",
			Help: "HTTP requests by route and status code."}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "manglanh_http_request_seconds",
			Help: "HTTP request latency by route.", Buckets: prometheus.DefBuckets}, []string{"route"}),
		csrfRejected: prometheus.NewCounter(prometheus.CounterOpts{Name: "manglanh_http_csrf_rejected_total",
			Help: "State-changing requests refused for a missing or wrong CSRF token."}),
		uploadsBusy: prometheus.NewCounter(prometheus.CounterOpts{Name: "manglanh_http_uploads_busy_total",
			Help: "Multipart posts refused (503) because the server was serving its quota of uploads."}),
	}
	reg.MustRegister(m.requests, m.duration, m.csrfRejected, m.uploadsBusy)
	return m
}

func (m *httpMetrics) wrap(route string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw, ok := w.(*statusWriter)
		if !ok {
			sw = &statusWriter{ResponseWriter: w}
		}
		h(sw, r)
		code := sw.status
		if code == 0 {
			code = http.StatusOK
		}
		m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

package notify

import "testing"

// StartPlainSMTP starts the test SMTP server (plain, loopback) for the
// external tests and returns its port and a function that waits for the
// next message's recipient and raw data.
func StartPlainSMTP(t *testing.T) (int, func() (string, string)) {
	srv := startSMTP(t, &smtpServer{})
	return srv.port(), func() (string, string) {
		m := srv.wait()
		return m.To[0], m.Data
	}
}

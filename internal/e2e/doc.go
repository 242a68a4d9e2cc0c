// Package e2e holds the end-to-end checks of the report and case workflow:
// the whole server started as users meet it (app.New on loopback ports, or
// the built manglanh binary), driven by real Chromium through chromedp at
// phone size, killed with SIGKILL right after it acknowledged reports, and
// loaded with concurrent public submissions on SQLite and PostgreSQL.
//
// The package has no code of its own besides this comment: everything is in
// its tests. Browser tests skip when Chromium is missing, unless
// MANGLANH_TEST_ALL=1 (make test-all), where they fail instead; the
// PostgreSQL halves need MANGLANH_TEST_POSTGRES the same way.
//
//	go test ./internal/e2e                                   # everything, small load
//	go test ./internal/e2e -run Browser -args -shots DIR     # keep the screenshots
//	go test ./internal/e2e -run TestSubmissionLoad -v -args -load [-load.n 4000 -load.c 32]
//	go test ./internal/e2e -run '^$' -bench Submissions -benchtime 1000x
package e2e

// Package notify tells staff about case events: for each cases.Event it
// resolves the recipients (one user, or every active user of a role and,
// for receiving organisations, of an organisation), stores an in-portal
// notice for each, and sends an e-mail when SMTP is configured.
//
// Notices and e-mails carry no personal data (Decree 56/2017 Art. 24 and
// 33): the case code, the category and risk level, the deadline and a link
// to the case page, where access is checked and every view logged.
//
// E-mail goes through a bounded queue with retries and backoff: a slow or
// failing mail relay never blocks nor fails the case action that caused the
// event. The SMTP client (smtp.go) speaks STARTTLS, implicit TLS, or plain
// SMTP to a loopback relay, and authenticates (AUTH PLAIN) only over TLS or
// loopback.
package notify

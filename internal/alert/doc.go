// Package alert turns early-warning signals into alerts for the right
// adult: repeated blocked DNS attempts at gambling, adult, scam or bypass
// sites from one profile, going online inside a bedtime window, and
// messages checked or reported at level high or critical.
//
// Rules have thresholds (so many signals within a window) and a throttle:
// one alert per rule and profile per period; signals that arrive while a
// rule is throttled are counted and folded into the next alert or a digest,
// never sent one by one. Every alert carries its category, level, time, a
// minimal snippet and recommended actions in Vietnamese and English.
//
// Delivery is in the portal (the store keeps alerts), by e-mail to the
// profile's contacts (through a Mailer: the app passes internal/notify's
// queued SMTP sender), and as a signed JSON webhook
// that a Zalo or SMS gateway can consume. The package is pure domain: it
// declares the Store it needs and imports no store, web or config.
package alert

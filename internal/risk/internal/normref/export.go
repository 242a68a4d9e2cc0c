package normref

// Unexported helpers the differential tests compare one by one.

// UnicodeHost is unicodeHost.
func UnicodeHost(h string) string { return unicodeHost(h) }

// FoldString is foldString.
func FoldString(w string) string { return foldString(w) }

// IsSyllable is isSyllable.
func IsSyllable(s string) bool { return isSyllable(s) }

// ParseAmount is parseAmount.
func ParseAmount(s string) (float64, bool) { return parseAmount(s) }

// CanonicalTone is canonicalTone.
func CanonicalTone(w []rune) string { return canonicalTone(w) }

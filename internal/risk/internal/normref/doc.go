// Package normref is a frozen copy of the risk normaliser and link
// extractor as they were before the speed work (commit 2bafb9a). It is the
// oracle of risk's differential tests: the fast code must give the same
// tokens and links on every input. Do not change it.
package normref

// match is a stand-in for risk's matcher state, referenced by scratch.
type match struct {
	rule     int32
	from, to int
}

// Category stands for risk.Category in LinkFinding.
type Category string

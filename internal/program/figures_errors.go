package program

import "errors"

// ErrFiguresUnavailable: this build cannot compute a ward's figures.
var ErrFiguresUnavailable = errors.New("program: figures cannot be computed: no figure source")

package program

import "time"

// Now is the service's clock (Options.Now, or time.Now): pages that
// choose a default period ("this year") read it so that they agree with
// the figures.
func (s *Service) Now() time.Time { return s.now() }

package cases

import (
	"slices"
	"time"
)

// levelRank orders the risk levels; an unknown level ranks below none.
func levelRank(l string) int { return slices.Index(Levels(), l) }

// Assessed reports whether the initial assessment set the risk level.
func (c *Case) Assessed() bool { return c.RiskLevel != "" }

// UrgentUnassessed reports whether c was marked urgent and nobody has
// assessed it yet: whatever the suggestion says, it must not look calm.
func (c *Case) UrgentUnassessed() bool { return c.Urgent && !c.Assessed() }

// AssessmentDefaults is where the initial assessment form starts: the risk
// engine's suggestion, raised to high when the report is urgent, and the
// emergency box ticked for an urgent report. It never starts from "no
// risk": without a suggestion above none, level is "" and the officer must
// choose.
func (c *Case) AssessmentDefaults() (level string, emergency bool) {
	if levelRank(c.SuggestedLevel) > levelRank(LevelNone) {
		level = c.SuggestedLevel
	}
	if c.Urgent {
		if levelRank(level) < levelRank(LevelHigh) {
			level = LevelHigh
		}
		emergency = true
	}
	return level, emergency
}

// EmergencyDue is when an emergency intervention decided now must be done:
// 12 hours from receiving the report (Decree 56/2017).
func (c *Case) EmergencyDue() time.Time { return c.ReceivedAt.Add(EmergencyWithin) }

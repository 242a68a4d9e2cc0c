-- Programme fixes (issue 9).
-- The levels a school of the directory teaches, as a comma-separated list
-- of codes (primary, lower_secondary, preschool, upper_secondary): T1
-- counts only primary and lower-secondary schools. '' = not recorded.
ALTER TABLE organisations ADD COLUMN school_levels TEXT NOT NULL DEFAULT '';
-- The day a shop closed down (ms, 0 = open): "registered shops" of a past
-- period counts the shops open at its end, not those active today.
ALTER TABLE program_shops ADD COLUMN closed_at BIGINT NOT NULL DEFAULT 0;

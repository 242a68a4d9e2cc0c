// Package cases is the report and case workflow of Decree 56/2017/NĐ-CP,
// Arts. 24–32, modelled on Primero: intake of a Mẫu 01 report, initial
// assessment, emergency intervention within 12 hours, needs assessment with
// the child's views, a plan within 5 working days, the chairman's approval
// within 2 working days, implementation, review and closure; assignment and
// referral to other agencies with a consent gate; deadlines on a Vietnamese
// working-day calendar; and authorisation by role, enforced here and not in
// templates.
//
// The package is pure: it declares the interfaces it consumes (Store,
// Notifier, Auditor) and never touches a database or HTTP. A case's
// sensitive content (the child's identity, the narrative, the reporter) is
// kept in its own struct, Sensitive, so the store can encrypt it as one blob.
package cases

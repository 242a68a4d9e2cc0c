// Package risk is Mạng Lành's early-warning engine for Vietnamese messages
// that children and parents receive: scams, gambling, grooming,
// sextortion, bullying, self-harm and sexual content.
//
// It is pure: no I/O except reading rules or examples from an io.Reader it
// is handed, no global state, deterministic output.
//
// The pipeline is:
//
//   - Normalize: NFC, one tone-placement convention, lower case, a
//     diacritic-free key (đ → d), teencode and abbreviations, spelled-out
//     and separated letters ("c.h.u.y.ể.n", "t/ả/i", "c h u y e n"),
//     look-alike digits and Cyrillic/Greek letters, repeated letters,
//     invisible characters, money amounts in VND and phone/account numbers.
//     Every token keeps the byte range it came from in the original text.
//
//   - Matching: rule phrases, normalised the same way, are compiled into a
//     token trie with bounded gaps and matched at every token.
//
//   - Scoring: each rule is a signal with weights per category; the
//     strongest phrase of a signal counts fully, combinations of signals
//     (a money request with urgency and an impersonated teacher) add bonuses
//     and may set a floor level; warning, news and joking framing damps the
//     scores, and negations ("đừng", "không bao giờ") cancel the phrase
//     after them.
//
//   - Links: ExtractLinks finds URLs and bare or obfuscated domains; the
//     Engine adds block-list categories (through DomainChecker), brand
//     look-alikes, shorteners, cheap TLDs, IP hosts and .apk downloads.
//
//   - Model: a multinomial logistic regression (Model, trained by Train)
//     over hashed diacritic-free word keys and word pairs of the normalised
//     message gives a probability per category and for "benign", calibrated
//     by a temperature fitted on out-of-fold predictions. It lifts a
//     category to medium when the rules found some evidence for it and the
//     model gives it ≥ 0.5, or the rules found nothing, the message has at
//     least 8 tokens and the model gives ≥ 0.6 (≥ 0.9 against warning
//     framing); it lowers a rule alarm (medium or high, no floor) to low
//     when the model finds the message benign with ≥ 0.85; and when the
//     rules alarm on several categories it names the top one if it clearly
//     prefers it. Its reason names the message's words that weigh most.
//
// Report narratives are not messages: Engine.Triage reads a reporter's
// account with its own rules (rules/narrative.yaml: harm that happened, a
// meeting arranged, a missing child, threats, negations and settled
// incidents), scores the suspect messages it quotes (ExtractQuotes) with
// Score, and weighs the reporter's category (a prior) and urgency (at least
// medium); EvaluateNarratives measures it (RULES.md, "Report narratives").
//
// Rules are data (rules/default.yaml, format in RULES.md); a ward can add
// its own file and Merge it. The model is model/weights.bin, embedded,
// retrained reproducibly from testdata/corpus.jsonl by
// "go generate ./internal/risk" (the train command; -cv 5 prints
// cross-validated figures). Evaluate measures an Engine on labelled JSONL;
// CrossValidate measures the rules with models that did not see the
// message.
package risk

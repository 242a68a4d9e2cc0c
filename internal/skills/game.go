package skills

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
)

// GameLength is the number of items of a game.
const GameLength = 10

// Draw picks n items of level for a game from seed: the same seed gives
// the same items in the same order (a solo game keeps its state in its
// address, nothing on the server). Topics are spread: one item of each
// topic in a shuffled order, then a second round, so ten items cover all
// seven topics.
func (b *Bank) Draw(level string, seed uint64, n int) []*Item {
	rng := rand.New(rand.NewPCG(seed, seed^0x6d616e676c616e68))
	byTopic := map[string][]*Item{}
	for _, it := range b.Items(level, "") {
		byTopic[it.Topic] = append(byTopic[it.Topic], it)
	}
	topics := slices.Clone(Topics())
	rng.Shuffle(len(topics), func(i, j int) { topics[i], topics[j] = topics[j], topics[i] })
	for _, tp := range topics {
		items := byTopic[tp]
		rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	}
	var out []*Item
	for round := 0; len(out) < n; round++ {
		added := false
		for _, tp := range topics {
			if items := byTopic[tp]; round < len(items) && len(out) < n {
				out = append(out, items[round])
				added = true
			}
		}
		if !added {
			break
		}
	}
	return out
}

// ErrAnswers is a game state that does not fit its items.
var ErrAnswers = errors.New("skills: answers do not fit the game")

// ParseAnswers reads a game's answers, one digit per item answered
// ("0213": first answer of item 1, third of item 2 …).
func ParseAnswers(s string, items []*Item) ([]int, error) {
	if len(s) > len(items) {
		return nil, ErrAnswers
	}
	out := make([]int, 0, len(s))
	for i, c := range []byte(s) {
		v := int(c - '0')
		if c < '0' || c > '9' || v >= len(items[i].Choices) {
			return nil, ErrAnswers
		}
		out = append(out, v)
	}
	return out, nil
}

// FormatAnswers writes answers as ParseAnswers reads them.
func FormatAnswers(a []int) string {
	b := make([]byte, 0, len(a))
	for _, v := range a {
		b = strconv.AppendInt(b, int64(v), 10)
	}
	return string(b)
}

// Score is how a set of answers went: right answers, and per topic the
// items and the wrong ones.
type Score struct {
	Right, Total int
	Topics       []TopicScore // in Topics() order, only those played
}

// TopicScore is one topic's part of a score.
type TopicScore struct {
	Topic        string
	Items, Wrong int
}

// ScoreAnswers scores answers (index per item; -1 or missing = not
// answered, counted wrong) against items.
func ScoreAnswers(items []*Item, answers []int) Score {
	sc := Score{Total: len(items)}
	per := map[string]*TopicScore{}
	for i, it := range items {
		ts := per[it.Topic]
		if ts == nil {
			ts = &TopicScore{Topic: it.Topic}
			per[it.Topic] = ts
		}
		ts.Items++
		if i < len(answers) && answers[i] == it.Correct() {
			sc.Right++
		} else {
			ts.Wrong++
		}
	}
	for _, tp := range Topics() {
		if ts := per[tp]; ts != nil {
			sc.Topics = append(sc.Topics, *ts)
		}
	}
	return sc
}

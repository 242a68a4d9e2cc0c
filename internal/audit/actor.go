package audit

import "context"

// Actor is who did something, as other packages know it.
type Actor struct {
	ID   int64
	Name string
	Role string
}

// Recorder is the small interface other packages consume: who did what to
// which object. *Log satisfies it.
type Recorder interface {
	RecordAction(ctx context.Context, actor Actor, action, objectType, objectID, detail string) error
}

var _ Recorder = (*Log)(nil)

// RecordAction records one action by actor on an object; the client address
// comes from ctx (WithClientIP).
func (l *Log) RecordAction(ctx context.Context, actor Actor, action, objectType, objectID, detail string) error {
	return l.Record(ctx, Entry{ActorID: actor.ID, ActorName: actor.Name, ActorRole: actor.Role,
		Action: action, ObjectType: objectType, ObjectID: objectID, Detail: detail})
}

package notify

import "context"

// SendNow runs one SMTP conversation for msg and returns the relay's
// answer: nil only when the relay accepted the message at the end of DATA.
// It is for callers that must tell a person whether an e-mail went out
// (the weekly summary, a parent's alert) and so cannot use Enqueue, which
// never says. It does not retry; it counts into Stats like the queue.
func (m *Mailer) SendNow(ctx context.Context, msg Message) error {
	if msg.Date.IsZero() {
		msg.Date = m.now()
	}
	err := m.client.send(ctx, msg)
	if err != nil {
		m.failed.Add(1)
		return err
	}
	m.sent.Add(1)
	return nil
}

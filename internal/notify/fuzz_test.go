package notify

import (
	"net/mail"
	"strings"
	"testing"
	"time"
)

// FuzzBuild checks that whatever subject and body come in, the message is
// either refused or parses back to the same subject with no header
// injected.
func FuzzBuild(f *testing.F) {
	f.Add("Hồ sơ AB23-CD45 quá hạn", "Nội dung\n.\nhết")
	f.Add("x\r\nBcc: evil@x.com", "b")
	f.Add(strings.Repeat("ữ", 200), strings.Repeat("=", 3000))
	from, _ := mail.ParseAddress("Mạng Lành <a@b.vn>")
	to, _ := mail.ParseAddress("c@d.vn")
	f.Fuzz(func(t *testing.T, subject, body string) {
		data, err := build(from, to, Message{Subject: subject, Body: body, Date: time.Unix(0, 0)}, "<1@b.vn>")
		if err != nil {
			return
		}
		m, err := mail.ReadMessage(strings.NewReader(string(data)))
		if err != nil {
			t.Fatalf("unparseable message: %v", err)
		}
		if len(m.Header["Bcc"]) > 0 || len(m.Header["To"]) != 1 || len(m.Header["Subject"]) != 1 {
			t.Fatalf("headers: %v", m.Header)
		}
	})
}

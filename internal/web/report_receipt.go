package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"manglanh/internal/secret"
)

// The receipt is a GET page (POST, redirect, GET): refreshing it shows it
// again and never sends the report twice. What it shows travels in a
// cookie sealed with the portal's key (AES-GCM: nobody can read or forge
// it), bound to this browser's CSRF cookie, valid for receiptTTL and only
// on receiptPath. Someone who gets the URL later sees no code: the page
// then says the receipt is no longer shown and points to /tra-cuu.
const (
	receiptPath   = "/bao-cao/da-nhan"
	receiptCookie = "receipt"
	receiptTTL    = 30 * time.Minute
)

// Sealer seals and opens small secrets; *secret.Sealer satisfies it.
type Sealer interface {
	Seal(plain []byte) ([]byte, error)
	Open(sealed []byte) ([]byte, error)
}

// sealedReceipt is the cookie's content.
type sealedReceipt struct {
	receiptPage
	Expires int64  `json:"exp"`  // Unix seconds
	Browser string `json:"csrf"` // the CSRF cookie it was issued to
}

// receiptSealer returns the configured sealer or, without one, a sealer
// with a random key for this process (a receipt then does not survive a
// restart, nor move to another process: the page says so and the code is
// still valid on /tra-cuu).
func receiptSealer(cfg Config) (Sealer, error) {
	if cfg.Sealer != nil {
		return cfg.Sealer, nil
	}
	key := make([]byte, secret.KeySize)
	rand.Read(key)
	return secret.New(map[byte][]byte{1: key}, 1)
}

// redirectToReceipt keeps rec in the receipt cookie and sends the browser
// to the receipt page with 303.
func (s *Server) redirectToReceipt(w http.ResponseWriter, r *http.Request, rec receiptPage) {
	b, _ := json.Marshal(sealedReceipt{receiptPage: rec, Expires: time.Now().Add(receiptTTL).Unix(), Browser: csrfToken(r)})
	sealed, err := s.receipts.Seal(b)
	if err != nil {
		s.log.ErrorContext(r.Context(), "sealing a receipt", "err", err)
		// The report is kept: show the receipt now rather than lose the code.
		w.Header().Set("Cache-Control", "no-store")
		s.render(w, r, http.StatusOK, "report_receipt", T(langOf(r), "receipt.title"), receiptView{receiptPage: rec, Shown: true})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: receiptCookie, Value: base64.RawURLEncoding.EncodeToString(sealed),
		Path: receiptPath, MaxAge: int(receiptTTL.Seconds()), HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteStrictMode})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, receiptPath+"#ket-qua", http.StatusSeeOther)
}

// receiptView is what report_receipt.html gets.
type receiptView struct {
	receiptPage
	Shown bool // false: no valid receipt cookie (expired, other browser)
}

// reportReceipt shows the receipt kept in this browser's cookie.
func (s *Server) reportReceipt(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	lang := langOf(r)
	v := receiptView{}
	if rec, ok := s.openReceipt(r); ok {
		v = receiptView{receiptPage: rec, Shown: true}
	}
	s.render(w, r, http.StatusOK, "report_receipt", T(lang, "receipt.title"), v)
}

func (s *Server) openReceipt(r *http.Request) (receiptPage, bool) {
	c, err := r.Cookie(receiptCookie)
	if err != nil {
		return receiptPage{}, false
	}
	sealed, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return receiptPage{}, false
	}
	plain, err := s.receipts.Open(sealed)
	if err != nil {
		return receiptPage{}, false
	}
	var sr sealedReceipt
	if json.Unmarshal(plain, &sr) != nil || time.Now().Unix() > sr.Expires ||
		subtle.ConstantTimeCompare([]byte(sr.Browser), []byte(csrfToken(r))) != 1 {
		return receiptPage{}, false
	}
	return sr.receiptPage, true
}

package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"manglanh/internal/program"
)

// cityImport receives a ward's signed figure file (POST /thanh-pho/nhap,
// multipart, field "file"). The CSRF check has already read the bounded
// multipart body into memory; a file over program.MaxSignedFile is refused
// here with its own message.
func (s *Server) cityImport(w http.ResponseWriter, r *http.Request) {
	refuse := func(key string) {
		p := cityPage{Period: s.cityPeriod(r.URL.Query()), ImportError: key}
		s.renderCity(w, r, http.StatusUnprocessableEntity, p)
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		refuse("city.err.file.missing")
		return
	}
	defer file.Close()
	if hdr.Size > program.MaxSignedFile {
		refuse("city.err.file.too_large")
		return
	}
	data, err := io.ReadAll(io.LimitReader(file, program.MaxSignedFile+1))
	if err != nil {
		s.cityError(w, r, err)
		return
	}
	if len(data) == 0 {
		refuse("city.err.file.missing")
		return
	}
	res, err := s.cfg.Program.ImportFigures(r.Context(), cityActor(r), data)
	var fe *program.FileError
	if errors.As(err, &fe) {
		s.log.InfoContext(r.Context(), "figure file refused", "reason", fe.Reason, "detail", fe.Detail)
		refuse("city.err.file." + fe.Reason)
		return
	}
	if err != nil {
		s.cityError(w, r, err)
		return
	}
	q := url.Values{}
	q.Set("from", res.Period.From.Format("02/01/2006"))
	q.Set("to", res.Period.LastDay().Format("02/01/2006"))
	q.Set("t", strconv.FormatInt(res.Tenant.ID, 10))
	q.Set("ok", "imported")
	if res.Replaced {
		q.Set("ok", "replaced")
	}
	if res.Live {
		q.Set("live", "1")
	}
	http.Redirect(w, r, "/thanh-pho?"+q.Encode()+"#tong-hop", http.StatusSeeOther)
}

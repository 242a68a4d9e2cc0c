package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"manglanh/internal/program"
)

// cityImport receives a ward's signed figure file (POST /thanh-pho/nhap,
// multipart, field "file"). The body is read within maxUploadBody by parseBody; a file over program.MaxSignedFile is refused
// here with its own message.
func (s *Server) cityImport(w http.ResponseWriter, r *http.Request) {
	refuse := func(key string) {
		p := cityPage{Period: s.cityPeriod(r.URL.Query()), ImportError: key}
		s.renderCity(w, r, http.StatusUnprocessableEntity, p)
	}
	if tooLarge, err := parseBody(w, r); err != nil {
		switch {
		case tooLarge:
			refuse("city.err.file.too_large")
		default:
			s.renderError(w, r, http.StatusBadRequest, "malformed")
		}
		return
	}
	files := uploadedFiles(r, "file")
	if len(files) == 0 {
		refuse("city.err.file.missing")
		return
	}
	if files[0].TooBig || len(files[0].Data) > program.MaxSignedFile {
		refuse("city.err.file.too_large")
		return
	}
	data := files[0].Data
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

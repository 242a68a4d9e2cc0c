package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"manglanh/internal/program"
)

// The form shows this many empty lines, and "more lines" adds as many.
const (
	placeRowsStep = 3
	partRowsStep  = 6
)

// activityForm is what activity_form.html gets: the values as typed, the
// errors beside their fields, and the choices.
type activityForm struct {
	ID, Version int64
	Action      string
	Kind        string
	Date        string
	EndDate     string
	Organiser   string
	Topic       string
	Notes       string
	Copies      string
	Attendees   string
	Places      []placeLine
	Lines       []partLine
	// Errors are translated messages by field name (kind, date, place.N,
	// participant.N, …, with N the line of the form); Focus is the id of
	// the first field in error, which gets autofocus.
	Errors   map[string]string
	Focus    string
	Summary  string
	Schools  []program.School
	Kinds    []string
	Others   []string // place kinds other than a school
	Groups   []string
	Grades   []gradeOpt
	Edit     bool
	Conflict bool
}

type placeLine struct {
	N, No int    // index in the form, and as people count (N+1)
	Value string // "school:5" or a place kind
	Name  string
	Err   string
}

type partLine struct {
	N, No  int
	Group  string
	School string
	Grade  string // "", a level (grade unknown) or "1"…"9"
	Count  string
	Err    string
}

type gradeOpt struct{ Value, Label string }

func gradeOptions(lang string) []gradeOpt {
	out := []gradeOpt{{"", T(lang, "activity.p.nograde")}, {program.LevelPrimary, T(lang, "activity.p.level.primary")}}
	for g := 1; g <= 5; g++ {
		out = append(out, gradeOpt{strconv.Itoa(g), T(lang, "activity.p.gradeN", g)})
	}
	out = append(out, gradeOpt{program.LevelLowerSecondary, T(lang, "activity.p.level.lower_secondary")})
	for g := 6; g <= 9; g++ {
		out = append(out, gradeOpt{strconv.Itoa(g), T(lang, "activity.p.gradeN", g)})
	}
	return out
}

// formOf fills a form from a stored activity.
func (s *Server) formOf(a *program.Activity) *activityForm {
	f := &activityForm{ID: a.ID, Version: a.Version, Kind: a.Kind, Organiser: a.Organiser, Topic: a.Topic, Notes: a.Notes,
		Attendees: strings.Join(a.Attendees, "\n"), Edit: a.ID != 0}
	if !a.Date.IsZero() {
		f.Date = a.Date.In(s.cfg.Location).Format("02/01/2006")
	}
	if !a.EndDate.IsZero() {
		f.EndDate = a.EndDate.In(s.cfg.Location).Format("02/01/2006")
	}
	if a.Copies != 0 {
		f.Copies = strconv.Itoa(a.Copies)
	}
	for _, p := range a.Places {
		l := placeLine{Value: p.Kind, Name: p.Name}
		if p.Kind == program.PlaceSchool {
			l.Value, l.Name = "school:"+strconv.FormatInt(p.OrgID, 10), ""
		}
		f.Places = append(f.Places, l)
	}
	for _, p := range a.Participants {
		l := partLine{Group: p.Group, Count: strconv.Itoa(p.Count), Grade: p.Level}
		if p.SchoolID != 0 {
			l.School = strconv.FormatInt(p.SchoolID, 10)
		}
		if p.Grade > 0 {
			l.Grade = strconv.Itoa(p.Grade)
		}
		f.Lines = append(f.Lines, l)
	}
	return f
}

// readActivityForm reads the posted form into a form (to show again) and
// an activity (to save); parse errors (a date or number that is not one)
// are returned as FieldErrors keyed like the domain's, with the form's
// line numbers. placeAt and lineAt map the activity's lines to the form's.
func (s *Server) readActivityForm(r *http.Request) (f *activityForm, act *program.Activity, placeAt, lineAt []int, fe program.FieldErrors) {
	v := func(k string) string { return r.PostFormValue(k) }
	f = &activityForm{Kind: v("kind"), Date: strings.TrimSpace(v("date")), EndDate: strings.TrimSpace(v("end_date")),
		Organiser: v("organiser"), Topic: v("topic"), Notes: v("notes"), Copies: strings.TrimSpace(v("copies")), Attendees: v("attendees")}
	f.Version, _ = strconv.ParseInt(v("version"), 10, 64)
	fe = program.FieldErrors{}
	act = &program.Activity{Kind: f.Kind, Organiser: f.Organiser, Topic: f.Topic, Notes: f.Notes, Version: f.Version}
	loc := s.cfg.Location
	if f.Date != "" {
		if t, ok := parseDay(f.Date, loc); ok {
			act.Date = t
		} else {
			fe["date"] = "activity.err.date_format"
		}
	}
	if f.EndDate != "" {
		if t, ok := parseDay(f.EndDate, loc); ok {
			act.EndDate = t
		} else {
			fe["end_date"] = "activity.err.date_format"
		}
	}
	if f.Copies != "" {
		n, err := strconv.Atoi(f.Copies)
		if err != nil {
			fe["copies"] = "activity.err.copies_number"
		}
		act.Copies = n
	}
	rows := func(name string, lo, hi int) int {
		n, err := strconv.Atoi(v(name))
		if err != nil || n < lo {
			return lo
		}
		return min(n, hi)
	}
	np := rows("prows", 1, program.MaxPlaces)
	for i := range np {
		k := strconv.Itoa(i)
		l := placeLine{Value: v("place." + k), Name: v("place_name." + k)}
		f.Places = append(f.Places, l)
		if l.Value == "" {
			if strings.TrimSpace(l.Name) != "" {
				fe["place."+k] = "activity.err.place_kind"
			}
			continue
		}
		p := program.Place{Kind: l.Value, Name: l.Name}
		if id, ok := strings.CutPrefix(l.Value, "school:"); ok {
			p.Kind = program.PlaceSchool
			p.OrgID, _ = strconv.ParseInt(id, 10, 64)
			p.Name = ""
			if p.OrgID <= 0 {
				p.OrgID = -1 // refused by the service beside the field
			}
		}
		placeAt = append(placeAt, i)
		act.Places = append(act.Places, p)
	}
	nl := rows("rows", 1, program.MaxParticipants)
	for i := range nl {
		k := strconv.Itoa(i)
		l := partLine{Group: v("p_group." + k), School: v("p_school." + k), Grade: v("p_grade." + k), Count: strings.TrimSpace(v("p_count." + k))}
		f.Lines = append(f.Lines, l)
		if l.Group == "" && l.Count == "" {
			continue
		}
		key := "participant." + k
		switch {
		case l.Group == "":
			fe[key] = "activity.err.group_missing"
			continue
		case l.Count == "":
			fe[key] = "activity.err.count_missing"
			continue
		}
		n, err := strconv.Atoi(l.Count)
		if err != nil {
			fe[key] = "activity.err.count_number"
			continue
		}
		p := program.Participant{Group: l.Group, Count: n}
		if l.School != "" {
			if p.SchoolID, err = strconv.ParseInt(l.School, 10, 64); err != nil || p.SchoolID <= 0 {
				p.SchoolID = -1
			}
		}
		switch l.Grade {
		case "":
		case program.LevelPrimary, program.LevelLowerSecondary:
			p.Level = l.Grade
		default:
			if p.Grade, err = strconv.Atoi(l.Grade); err != nil {
				p.Grade = -1
			}
		}
		lineAt = append(lineAt, i)
		act.Participants = append(act.Participants, p)
	}
	for _, n := range strings.Split(f.Attendees, "\n") {
		if n = strings.TrimSpace(n); n != "" {
			act.Attendees = append(act.Attendees, n)
		}
	}
	// More lines asked for: add them (the form is shown again, not saved).
	switch v("more") {
	case "places":
		f.Places = append(f.Places, make([]placeLine, min(placeRowsStep, program.MaxPlaces-len(f.Places)))...)
	case "rows":
		f.Lines = append(f.Lines, make([]partLine, min(partRowsStep, program.MaxParticipants-len(f.Lines)))...)
	}
	return f, act, placeAt, lineAt, fe
}

// fieldOrder is the order of the form's fields, for the focus.
var fieldOrder = []string{"kind", "date", "end_date", "places", "place", "organiser", "topic", "participants", "participant", "copies", "notes", "attendees"}

// setErrors translates domain or parse errors into the form, with the
// activity's line numbers mapped back to the form's.
func (f *activityForm) setErrors(lang string, fe program.FieldErrors, placeAt, lineAt []int) {
	f.Errors = map[string]string{}
	for k, key := range fe {
		field, n, hasN := strings.Cut(k, ".")
		if hasN {
			i, err := strconv.Atoi(n)
			if err != nil {
				continue
			}
			// Parse errors already carry the form's line; the domain's are
			// mapped through placeAt/lineAt (-1 marks a parse error key).
			if field == "place" && placeAt != nil && i < len(placeAt) {
				i = placeAt[i]
			}
			if field == "participant" && lineAt != nil && i < len(lineAt) {
				i = lineAt[i]
			}
			k = field + "." + strconv.Itoa(i)
		}
		f.Errors[k] = T(lang, key)
	}
	if m := f.Errors["places"]; m != "" && len(f.Places) > 0 && f.Errors["place.0"] == "" {
		// "at least one place": said beside the first place line.
		f.Errors["place.0"] = m
		delete(f.Errors, "places")
	}
	for i := range f.Places {
		f.Places[i].Err = f.Errors["place."+strconv.Itoa(i)]
	}
	for i := range f.Lines {
		f.Lines[i].Err = f.Errors["participant."+strconv.Itoa(i)]
	}
	f.Focus = ""
	for _, name := range fieldOrder {
		if f.Focus != "" {
			break
		}
		switch name {
		case "place":
			for i := range f.Places {
				if f.Places[i].Err != "" {
					f.Focus = "a-place-" + strconv.Itoa(i)
					break
				}
			}
		case "participant":
			for i := range f.Lines {
				if f.Lines[i].Err != "" {
					f.Focus = "a-pgroup-" + strconv.Itoa(i)
					break
				}
			}
		case "places":
			if f.Errors[name] != "" {
				f.Focus = "a-place-0"
			}
		case "participants":
			if f.Errors[name] != "" {
				f.Focus = "a-pgroup-0"
			}
		default:
			if f.Errors[name] != "" {
				f.Focus = "a-" + name
			}
		}
	}
	if len(f.Errors) > 0 {
		f.Summary = T(lang, "activity.errors")
	}
}

// renderActivityForm shows the form with its choices and enough empty
// lines.
func (s *Server) renderActivityForm(w http.ResponseWriter, r *http.Request, status int, f *activityForm) {
	lang, a := langOf(r), programActor(userFrom(r.Context()))
	schools, err := s.cfg.Program.Schools(r.Context(), a)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	f.Schools, f.Kinds, f.Groups, f.Grades = schools, program.ActivityKinds(), program.ParticipantGroups(), gradeOptions(lang)
	for _, k := range program.PlaceKinds() {
		if k != program.PlaceSchool {
			f.Others = append(f.Others, k)
		}
	}
	for len(f.Places) < placeRowsStep {
		f.Places = append(f.Places, placeLine{})
	}
	if len(f.Lines) < partRowsStep {
		f.Lines = append(f.Lines, make([]partLine, partRowsStep-len(f.Lines))...)
	}
	for i := range f.Places {
		f.Places[i].N, f.Places[i].No = i, i+1
	}
	for i := range f.Lines {
		f.Lines[i].N, f.Lines[i].No = i, i+1
	}
	f.Action = "/can-bo/hoat-dong/moi"
	title := T(lang, "activity.new.title")
	if f.ID != 0 {
		f.Action = "/can-bo/hoat-dong/" + strconv.FormatInt(f.ID, 10) + "/sua"
		title = T(lang, "activity.edit.title")
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "activity_form", title, f)
}

// activityNew shows the empty form; a school account's school is the
// first place already.
func (s *Server) activityNew(w http.ResponseWriter, r *http.Request) {
	a := programActor(userFrom(r.Context()))
	if !program.CanRecordActivities(a) {
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	}
	f := &activityForm{Kind: program.KindCommunication}
	if (a.Role == program.RoleSchool || a.Role == program.RoleTeacher) && a.OrgID != 0 {
		f.Places = []placeLine{{Value: "school:" + strconv.FormatInt(a.OrgID, 10)}}
		f.Organiser = ""
	}
	s.renderActivityForm(w, r, http.StatusOK, f)
}

// activityEdit shows the form of a stored activity.
func (s *Server) activityEdit(w http.ResponseWriter, r *http.Request) {
	a := programActor(userFrom(r.Context()))
	act, err := s.cfg.Program.Activity(r.Context(), a, activityID(r))
	if err != nil {
		s.programError(w, r, err)
		return
	}
	if !program.CanEditActivity(a, act) {
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	}
	s.renderActivityForm(w, r, http.StatusOK, s.formOf(act))
}

// activitySave creates (no id) or updates an activity, then shows it with
// a confirmation that says what was recorded; a refused form is shown
// again as typed with each error beside its field.
func (s *Server) activitySave(w http.ResponseWriter, r *http.Request) {
	if tooLarge, err := parseBody(w, r); err != nil {
		if tooLarge {
			s.renderError(w, r, http.StatusRequestEntityTooLarge, "toolarge")
			return
		}
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	ctx, lang, a := r.Context(), langOf(r), programActor(userFrom(r.Context()))
	id := int64(0)
	if r.PathValue("id") != "" {
		if id = activityID(r); id == 0 {
			s.renderError(w, r, http.StatusNotFound, "notfound")
			return
		}
	}
	f, act, placeAt, lineAt, fe := s.readActivityForm(r)
	f.ID, act.ID, f.Edit = id, id, id != 0
	if r.PostFormValue("more") != "" {
		s.renderActivityForm(w, r, http.StatusOK, f)
		return
	}
	if len(fe) > 0 {
		f.setErrors(lang, fe, nil, nil)
		s.renderActivityForm(w, r, http.StatusBadRequest, f)
		return
	}
	ok := "created"
	if id == 0 {
		err := s.cfg.Program.CreateActivity(ctx, a, act)
		if errors.As(err, &fe) {
			f.setErrors(lang, fe, placeAt, lineAt)
			s.renderActivityForm(w, r, http.StatusBadRequest, f)
			return
		}
		if err != nil {
			s.programError(w, r, err)
			return
		}
	} else {
		ok = "updated"
		err := s.cfg.Program.UpdateActivity(ctx, a, act)
		switch {
		case errors.As(err, &fe):
			f.setErrors(lang, fe, placeAt, lineAt)
			s.renderActivityForm(w, r, http.StatusBadRequest, f)
			return
		case errors.Is(err, program.ErrConflict):
			f.Errors, f.Conflict, f.Summary = map[string]string{}, true, T(lang, "activity.err.conflict")
			if cur, err := s.cfg.Program.Activity(ctx, a, id); err == nil {
				f.Version = cur.Version
			}
			s.renderActivityForm(w, r, http.StatusConflict, f)
			return
		case err != nil:
			s.programError(w, r, err)
			return
		}
	}
	http.Redirect(w, r, "/can-bo/hoat-dong/"+strconv.FormatInt(act.ID, 10)+"?ok="+ok+"#hoat-dong", http.StatusSeeOther)
}

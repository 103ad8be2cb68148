package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

// testInbox checks the staff's work on questions: a direct message's
// source, actor and Note; assignment, complaints, internal notes, saved
// answers, inbox settings and the retention by organisation.
func testInbox(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other := newOrg("almere"), newOrg("zwolle")
	must(t, s.CreateOrg(ctx, o))
	must(t, s.CreateOrg(ctx, other))
	newQuestion := func(orgID, ref string, at time.Time) *model.Question {
		return &model.Question{ID: model.NewID(at), OrgID: orgID, Reference: ref, Topic: "general", ReplyTo: "anna@example.org",
			Text: "Wanneer is de markt?", Lang: "nl", State: model.QuestionNew, ReceivedAt: at, UpdatedAt: at, Source: model.QuestionFromForm}
	}
	dm := newQuestion(o.ID, "V-DDDD-0001", epoch)
	dm.Source, dm.ActorID, dm.NoteID, dm.ReplyTo = model.QuestionFromFediverse, "https://social.example/users/kim",
		"https://social.example/users/kim/statuses/1", "@kim@social.example"
	must(t, s.CreateQuestion(ctx, dm))
	if got, err := s.QuestionByID(ctx, dm.ID); err != nil || !reflect.DeepEqual(got, dm) {
		t.Fatalf("a direct message: %+v, %v; want %+v", got, err, dm)
	}
	// A question stored without a source came from the form.
	old := newQuestion(o.ID, "V-DDDD-0002", epoch)
	old.Source = ""
	must(t, s.CreateQuestion(ctx, old))
	if got, err := s.QuestionByID(ctx, old.ID); err != nil || got.Source != model.QuestionFromForm || got.Complaint || got.Assignee != "" {
		t.Fatalf("a question without source: %+v, %v", got, err)
	}

	must(t, s.AssignQuestion(ctx, dm.ID, "user-1", epoch.Add(time.Hour)))
	must(t, s.MarkComplaint(ctx, dm.ID, true, epoch.Add(time.Hour)))
	if got, _ := s.QuestionByID(ctx, dm.ID); got.Assignee != "user-1" || !got.Complaint || !got.UpdatedAt.Equal(epoch.Add(time.Hour)) {
		t.Errorf("assigned complaint: %+v", got)
	}
	for _, err := range []error{s.AssignQuestion(ctx, "nope", "user-1", epoch), s.MarkComplaint(ctx, "nope", true, epoch)} {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an unknown question: %v, want ErrNotFound", err)
		}
	}

	n1 := &model.QuestionNote{ID: model.NewID(epoch), QuestionID: dm.ID, Author: "Bea", Text: "Bel eerst de markt.", CreatedAt: epoch.Add(2 * time.Hour)}
	n0 := &model.QuestionNote{ID: model.NewID(epoch), QuestionID: dm.ID, Author: "Ahmed", Text: "Ik pak hem op.", CreatedAt: epoch.Add(time.Hour)}
	must(t, s.AddQuestionNote(ctx, n1))
	must(t, s.AddQuestionNote(ctx, n0))
	if got, err := s.QuestionNotes(ctx, dm.ID); err != nil || len(got) != 2 || !reflect.DeepEqual(got[0], n0) || !reflect.DeepEqual(got[1], n1) {
		t.Fatalf("QuestionNotes = %v, %v; want oldest first", got, err)
	}

	b := &model.SavedAnswer{ID: model.NewID(epoch), OrgID: o.ID, Title: "Openingstijden", Text: "Wij zijn open van 9 tot 17 uur.", CreatedAt: epoch}
	a := &model.SavedAnswer{ID: model.NewID(epoch), OrgID: o.ID, Title: "Afval", Text: "Zie de afvalkalender.", CreatedAt: epoch}
	must(t, s.AddSavedAnswer(ctx, b))
	must(t, s.AddSavedAnswer(ctx, a))
	must(t, s.AddSavedAnswer(ctx, &model.SavedAnswer{ID: model.NewID(epoch), OrgID: other.ID, Title: "Zwolle", Text: "x", CreatedAt: epoch}))
	if got, err := s.SavedAnswers(ctx, o.ID); err != nil || len(got) != 2 || !reflect.DeepEqual(got[0], a) || got[1].ID != b.ID {
		t.Fatalf("SavedAnswers = %v, %v; want by title", got, err)
	}
	if got, err := s.SavedAnswerByID(ctx, b.ID); err != nil || !reflect.DeepEqual(got, b) {
		t.Errorf("SavedAnswerByID = %+v, %v", got, err)
	}
	must(t, s.RemoveSavedAnswer(ctx, b.ID))
	if err := s.RemoveSavedAnswer(ctx, b.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing it twice: %v", err)
	}
	if _, err := s.SavedAnswerByID(ctx, b.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a removed saved answer: %v", err)
	}

	if got, err := s.InboxSettings(ctx, o.ID); err != nil || !reflect.DeepEqual(got, &model.InboxSettings{OrgID: o.ID, Notify: true}) {
		t.Errorf("settings never chosen = %+v, %v", got, err)
	}
	set := &model.InboxSettings{OrgID: o.ID, Readers: []model.Role{model.RoleModerator, model.RoleEditor},
		Retention: 90 * 24 * time.Hour, ComplaintRetention: 3 * 365 * 24 * time.Hour, Notify: true}
	must(t, s.PutInboxSettings(ctx, set))
	if got, err := s.InboxSettings(ctx, o.ID); err != nil || !reflect.DeepEqual(got, set) {
		t.Errorf("InboxSettings = %+v, %v; want %+v", got, err, set)
	}
	set2 := &model.InboxSettings{OrgID: o.ID, Notify: false}
	must(t, s.PutInboxSettings(ctx, set2))
	if got, err := s.InboxSettings(ctx, o.ID); err != nil || !reflect.DeepEqual(got, set2) {
		t.Errorf("InboxSettings after a change = %+v, %v; want %+v", got, err, set2)
	}

	// Retention by organisation: the complaint stays when the questions go.
	kept := newQuestion(other.ID, "V-DDDD-0003", epoch)
	must(t, s.CreateQuestion(ctx, kept))
	must(t, s.AddAnswer(ctx, &model.Answer{ID: model.NewID(epoch), QuestionID: old.ID, Author: "Bea", Text: "Dinsdag.", CreatedAt: epoch}))
	must(t, s.AddQuestionNote(ctx, &model.QuestionNote{ID: model.NewID(epoch), QuestionID: old.ID, Author: "Bea", Text: "x", CreatedAt: epoch}))
	if n, err := s.DeleteOrgQuestionsBefore(ctx, o.ID, false, epoch.Add(time.Minute)); err != nil || n != 1 {
		t.Fatalf("DeleteOrgQuestionsBefore(questions) = %d, %v; want 1", n, err)
	}
	if _, err := s.QuestionByID(ctx, old.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an old question is still there: %v", err)
	}
	for _, id := range []string{dm.ID, kept.ID} {
		if _, err := s.QuestionByID(ctx, id); err != nil {
			t.Errorf("question %s went: %v", id, err)
		}
	}
	if n, err := s.DeleteOrgQuestionsBefore(ctx, o.ID, true, epoch.Add(time.Minute)); err != nil || n != 1 {
		t.Fatalf("DeleteOrgQuestionsBefore(complaints) = %d, %v; want 1", n, err)
	}
	if got, err := s.QuestionNotes(ctx, dm.ID); err != nil || len(got) != 0 {
		t.Errorf("notes of a deleted question: %v, %v", got, err)
	}
	// The questions of every organisation go with DeleteQuestionsBefore,
	// notes included.
	must(t, s.AddQuestionNote(ctx, &model.QuestionNote{ID: model.NewID(epoch), QuestionID: kept.ID, Author: "Bea", Text: "x", CreatedAt: epoch}))
	if n, err := s.DeleteQuestionsBefore(ctx, epoch.Add(time.Minute)); err != nil || n != 1 {
		t.Fatalf("DeleteQuestionsBefore = %d, %v", n, err)
	}
}

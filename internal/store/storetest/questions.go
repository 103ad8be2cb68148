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

func testQuestions(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other := newOrg("almere"), newOrg("zwolle")
	must(t, s.CreateOrg(ctx, o))
	must(t, s.CreateOrg(ctx, other))
	newQuestion := func(orgID, ref, replyTo string, at time.Time) *model.Question {
		return &model.Question{ID: model.NewID(at), OrgID: orgID, Reference: ref, Topic: "general", ReplyTo: replyTo,
			Text: "Wanneer wordt het grofvuil opgehaald?", Lang: "nl", State: model.QuestionNew, ReceivedAt: at, UpdatedAt: at}
	}
	a := newQuestion(o.ID, "V-AAAA-AAAA", "anna@example.org", epoch)
	a.Name, a.Sensitive = "Anna", "bsn"
	must(t, s.CreateQuestion(ctx, a))
	got, err := s.QuestionByID(ctx, a.ID)
	if err != nil || !reflect.DeepEqual(got, a) {
		t.Fatalf("QuestionByID = %+v, %v; want %+v", got, err, a)
	}
	if err := s.CreateQuestion(ctx, newQuestion(o.ID, "V-AAAA-AAAA", "x@example.org", epoch)); !errors.Is(err, store.ErrAlreadyExists) {
		t.Errorf("a taken reference: %v, want ErrAlreadyExists", err)
	}
	if _, err := s.QuestionByID(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown question: %v", err)
	}
	b := newQuestion(o.ID, "V-BBBB-BBBB", "anna@example.org", epoch.Add(time.Hour))
	b.State = model.QuestionHeld
	must(t, s.CreateQuestion(ctx, b))
	must(t, s.CreateQuestion(ctx, newQuestion(other.ID, "V-CCCC-CCCC", "anna@example.org", epoch.Add(time.Hour))))

	list, err := s.ListQuestions(ctx, store.QuestionFilter{OrgID: o.ID})
	if err != nil || len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
		t.Fatalf("ListQuestions = %v, %v; want newest first", list, err)
	}
	held, err := s.ListQuestions(ctx, store.QuestionFilter{OrgID: o.ID, States: []model.QuestionState{model.QuestionHeld}, Limit: 5})
	if err != nil || len(held) != 1 || held[0].ID != b.ID {
		t.Fatalf("held questions = %v, %v", held, err)
	}
	if n, err := s.CountQuestionsFrom(ctx, o.ID, "anna@example.org", epoch.Add(time.Minute)); err != nil || n != 1 {
		t.Errorf("CountQuestionsFrom = %d, %v; want 1", n, err)
	}
	if n, err := s.CountQuestionsSince(ctx, o.ID, epoch); err != nil || n != 2 {
		t.Errorf("CountQuestionsSince = %d, %v; want 2", n, err)
	}
	must(t, s.SetQuestionState(ctx, b.ID, model.QuestionNew, epoch.Add(2*time.Hour)))
	if got, _ := s.QuestionByID(ctx, b.ID); got.State != model.QuestionNew || !got.UpdatedAt.Equal(epoch.Add(2*time.Hour)) {
		t.Errorf("after SetQuestionState: %+v", got)
	}
	if err := s.SetQuestionState(ctx, "nope", model.QuestionClosed, epoch); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("state of an unknown question: %v", err)
	}
	ans := &model.Answer{ID: model.NewID(epoch), QuestionID: a.ID, Author: "Redactie", Text: "Op dinsdag.", CreatedAt: epoch.Add(time.Hour)}
	must(t, s.AddAnswer(ctx, ans))
	must(t, s.AddAnswer(ctx, &model.Answer{ID: model.NewID(epoch), QuestionID: b.ID, Author: "Redactie", Text: "Ja.", CreatedAt: epoch}))
	must(t, s.MarkAnswerSent(ctx, ans.ID, epoch.Add(2*time.Hour)))
	ans.SentAt = epoch.Add(2 * time.Hour)
	if got, err := s.Answers(ctx, a.ID); err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], ans) {
		t.Fatalf("Answers = %v, %v; want %+v", got, err, ans)
	}
	if got, err := s.AnswerByID(ctx, ans.ID); err != nil || got.Text != "Op dinsdag." {
		t.Fatalf("AnswerByID = %+v, %v", got, err)
	}
	if err := s.MarkAnswerSent(ctx, "nope", epoch); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("marking an unknown answer: %v", err)
	}
	if n, err := s.DeleteQuestionsBefore(ctx, epoch.Add(time.Minute)); err != nil || n != 1 {
		t.Fatalf("DeleteQuestionsBefore = %d, %v; want 1", n, err)
	}
	if _, err := s.QuestionByID(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an old question is still there: %v", err)
	}
	if _, err := s.AnswerByID(ctx, ans.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the answer to a deleted question is still there: %v", err)
	}
	if got, err := s.Answers(ctx, b.ID); err != nil || len(got) != 1 {
		t.Errorf("the answer to a kept question: %v %v", got, err)
	}
}

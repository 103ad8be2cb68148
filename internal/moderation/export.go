package moderation

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strings"

	"plein/internal/model"
)

// TDBBatchSize is the most statements the Transparency Database accepts
// in one submission.
const TDBBatchSize = 100

// TDBStatement is a statement of reasons as the EU Transparency Database's
// API takes it. It holds no personal data: no name, no address, no account;
// the puid is Plein's own id of the statement.
type TDBStatement struct {
	DecisionVisibility             []string `json:"decision_visibility"`
	DecisionGround                 string   `json:"decision_ground"`
	IllegalContentLegalGround      string   `json:"illegal_content_legal_ground,omitempty"`
	IllegalContentExplanation      string   `json:"illegal_content_explanation,omitempty"`
	IncompatibleContentGround      string   `json:"incompatible_content_ground,omitempty"`
	IncompatibleContentExplanation string   `json:"incompatible_content_explanation,omitempty"`
	Category                       string   `json:"category"`
	ContentType                    []string `json:"content_type"`
	ContentLanguage                string   `json:"content_language,omitempty"`
	ContentDate                    string   `json:"content_date"`
	ApplicationDate                string   `json:"application_date"`
	DecisionFacts                  string   `json:"decision_facts"`
	SourceType                     string   `json:"source_type"`
	AutomatedDetection             string   `json:"automated_detection"`
	AutomatedDecision              string   `json:"automated_decision"`
	TerritorialScope               []string `json:"territorial_scope,omitempty"`
	PUID                           string   `json:"puid"`
}

// TDBBatch is one submission of statements to the Database.
type TDBBatch struct {
	Statements []TDBStatement `json:"statements"`
}

// dateFormat is how the Database writes dates.
const dateFormat = "2006-01-02"

// TDB returns the statement as the Transparency Database takes it.
func TDB(st *model.Statement) TDBStatement {
	t := TDBStatement{DecisionVisibility: []string{st.Visibility}, Category: st.Category,
		ContentType: append([]string(nil), st.ContentType...), ContentDate: st.ContentDate.UTC().Format(dateFormat),
		ApplicationDate: st.ApplicationDate.UTC().Format(dateFormat), DecisionFacts: cutRunes(st.Facts, MaxFacts),
		SourceType: st.SourceType, AutomatedDetection: "No", AutomatedDecision: st.AutomatedDecision, PUID: st.ID}
	if st.AutomatedDetection {
		t.AutomatedDetection = "Yes"
	}
	if l := strings.ToUpper(st.Language); len(l) == 2 {
		t.ContentLanguage = l // the post's language, which the reply answers in
	}
	if st.Ground == model.GroundIllegal {
		t.DecisionGround, t.IllegalContentLegalGround, t.IllegalContentExplanation = GroundIllegalContent, st.Law, st.Explanation
	} else {
		t.DecisionGround, t.IncompatibleContentGround, t.IncompatibleContentExplanation = GroundIncompatibleContent, st.Law, st.Explanation
	}
	return t
}

// WriteTDB writes statements as Transparency Database JSON: one batch of
// at most TDBBatchSize statements per line, each ready to submit.
func WriteTDB(w io.Writer, statements []*model.Statement) error {
	enc := json.NewEncoder(w)
	for start := 0; start < len(statements); start += TDBBatchSize {
		b := TDBBatch{}
		for _, st := range statements[start:min(start+TDBBatchSize, len(statements))] {
			b.Statements = append(b.Statements, TDB(st))
		}
		if err := enc.Encode(b); err != nil {
			return err
		}
	}
	return nil
}

// CSVHeader are the columns of WriteCSV: the Database's field names.
var CSVHeader = []string{"puid", "decision_visibility", "decision_ground", "illegal_content_legal_ground",
	"illegal_content_explanation", "incompatible_content_ground", "incompatible_content_explanation", "category",
	"content_type", "content_language", "content_date", "application_date", "decision_facts", "source_type",
	"automated_detection", "automated_decision"}

// WriteCSV writes statements as CSV with the Database's field names, one
// statement a row; lists are joined with commas.
func WriteCSV(w io.Writer, statements []*model.Statement) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, st := range statements {
		t := TDB(st)
		if err := cw.Write([]string{t.PUID, strings.Join(t.DecisionVisibility, ","), t.DecisionGround,
			t.IllegalContentLegalGround, t.IllegalContentExplanation, t.IncompatibleContentGround,
			t.IncompatibleContentExplanation, t.Category, strings.Join(t.ContentType, ","), t.ContentLanguage,
			t.ContentDate, t.ApplicationDate, t.DecisionFacts, t.SourceType, t.AutomatedDetection, t.AutomatedDecision}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func cutRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

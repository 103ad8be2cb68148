package moderation

import (
	"context"
	"fmt"
	"time"

	"plein/internal/model"
)

// TransparencyQuarters is how many quarters, the current one included, the
// transparency report covers.
const TransparencyQuarters = 8

// Quarter is a calendar quarter, in UTC.
type Quarter struct {
	Year int
	Q    int // 1 to 4
}

// QuarterOf returns the quarter t falls in.
func QuarterOf(t time.Time) Quarter {
	t = t.UTC()
	return Quarter{Year: t.Year(), Q: (int(t.Month())-1)/3 + 1}
}

// Start returns the first instant of the quarter.
func (q Quarter) Start() time.Time {
	return time.Date(q.Year, time.Month(3*(q.Q-1)+1), 1, 0, 0, 0, 0, time.UTC)
}

// Prev returns the quarter before q.
func (q Quarter) Prev() Quarter {
	if q.Q == 1 {
		return Quarter{Year: q.Year - 1, Q: 4}
	}
	return Quarter{Year: q.Year, Q: q.Q - 1}
}

// Next returns the quarter after q.
func (q Quarter) Next() Quarter {
	if q.Q == 4 {
		return Quarter{Year: q.Year + 1, Q: 1}
	}
	return Quarter{Year: q.Year, Q: q.Q + 1}
}

// QuarterFigures are the aggregate figures of moderation in one quarter.
type QuarterFigures struct {
	Quarter Quarter
	model.ModerationFigures
}

// Empty reports whether nothing happened in the quarter.
func (f QuarterFigures) Empty() bool { return f.ModerationFigures == model.ModerationFigures{} }

// Transparency returns the figures of moderation of the organisation
// orgID ("" the whole installation) for each of the last
// TransparencyQuarters quarters, newest first, leaving out the quarters
// before the first in which anything happened. They are aggregates only:
// counts and a median, no reply, person or text. Anyone may read them.
func (s *Service) Transparency(ctx context.Context, orgID string) ([]QuarterFigures, error) {
	q := QuarterOf(s.now())
	var out []QuarterFigures
	for range TransparencyQuarters {
		f, err := s.st.ModerationFigures(ctx, orgID, q.Start(), q.Next().Start())
		if err != nil {
			return nil, fmt.Errorf("moderation: transparency: %w", err)
		}
		out = append(out, QuarterFigures{Quarter: q, ModerationFigures: f})
		q = q.Prev()
	}
	for len(out) > 0 && out[len(out)-1].Empty() {
		out = out[:len(out)-1]
	}
	return out, nil
}

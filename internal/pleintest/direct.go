package pleintest

import (
	"time"

	"plein/internal/activity"
)

// DirectMessage returns a new Create of a direct Note by a, as Mastodon
// sends a private mention: addressed to the actors to only (no Public, no
// followers collection), tagging each with a Mention, with the HTML
// content html, in reply to the object inReplyTo when it is not empty. The
// Note gets its own id, served like the activity's.
func (a *RemoteActor) DirectMessage(to []string, inReplyTo, html string) activity.Activity {
	var note activity.Note
	a.mint("statuses", func(id string) any {
		note = activity.Note{
			Context:      activity.DefaultContext(),
			ID:           id,
			Type:         activity.TypeNote,
			InReplyTo:    inReplyTo,
			Published:    activity.Time{Time: time.Now().Truncate(time.Second)},
			URL:          id,
			AttributedTo: a.ID,
			To:           to,
			Content:      html,
		}
		for _, t := range to {
			note.Tag = append(note.Tag, activity.Tag{Type: activity.TypeMention, Href: t})
		}
		return note
	})
	note.Context = nil
	return a.newActivity(activity.TypeCreate, &note, note.To, nil)
}

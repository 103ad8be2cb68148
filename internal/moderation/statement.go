package moderation

import (
	"strings"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
)

// The values of the EU Transparency Database's statement fields that
// Plein uses or accepts, as its API documentation lists them.
const (
	VisibilityRemoved  = "DECISION_VISIBILITY_CONTENT_REMOVED"
	VisibilityDisabled = "DECISION_VISIBILITY_CONTENT_DISABLED"

	GroundIllegalContent      = "DECISION_GROUND_ILLEGAL_CONTENT"
	GroundIncompatibleContent = "DECISION_GROUND_INCOMPATIBLE_CONTENT"

	ContentTypeText = "CONTENT_TYPE_TEXT"

	SourceArticle16                = "SOURCE_ARTICLE_16"
	SourceTrustedFlagger           = "SOURCE_TRUSTED_FLAGGER"
	SourceOtherNotification        = "SOURCE_TYPE_OTHER_NOTIFICATION"
	SourceVoluntary                = "SOURCE_VOLUNTARY"
	AutomatedFully                 = "AUTOMATED_DECISION_FULLY"
	AutomatedPartially             = "AUTOMATED_DECISION_PARTIALLY"
	AutomatedNotAutomated          = "AUTOMATED_DECISION_NOT_AUTOMATED"
	CategoryIllegalOrHarmfulSpeech = "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
	CategoryOtherViolationTC       = "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"
)

// Visibilities are the Database's decision_visibility values.
var Visibilities = []string{VisibilityRemoved, VisibilityDisabled, "DECISION_VISIBILITY_CONTENT_DEMOTED",
	"DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED", "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
	"DECISION_VISIBILITY_CONTENT_LABELLED", "DECISION_VISIBILITY_OTHER"}

// ContentTypes are the Database's content_type values.
var ContentTypes = []string{"CONTENT_TYPE_APP", "CONTENT_TYPE_AUDIO", "CONTENT_TYPE_IMAGE", "CONTENT_TYPE_PRODUCT",
	"CONTENT_TYPE_SYNTHETIC_MEDIA", ContentTypeText, "CONTENT_TYPE_VIDEO", "CONTENT_TYPE_OTHER"}

// SourceTypes are the Database's source_type values.
var SourceTypes = []string{SourceArticle16, SourceTrustedFlagger, SourceOtherNotification, SourceVoluntary}

// AutomatedDecisions are the Database's automated_decision values.
var AutomatedDecisions = []string{AutomatedFully, AutomatedPartially, AutomatedNotAutomated}

// Categories are the Database's 16 category values.
var Categories = []string{
	"STATEMENT_CATEGORY_ANIMAL_WELFARE",
	"STATEMENT_CATEGORY_CONSUMER_INFORMATION",
	"STATEMENT_CATEGORY_CYBER_VIOLENCE",
	"STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN",
	"STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
	CategoryIllegalOrHarmfulSpeech,
	"STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
	"STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
	"STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE",
	CategoryOtherViolationTC,
	"STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
	"STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
	"STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
	"STATEMENT_CATEGORY_SELF_HARM",
	"STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
	"STATEMENT_CATEGORY_VIOLENCE",
}

// ParseCategory returns the category named s: in full
// (STATEMENT_CATEGORY_VIOLENCE) or by its last part in any case
// (violence, scams_and_fraud).
func ParseCategory(s string) (string, bool) {
	name := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "-", "_"))
	if !strings.HasPrefix(name, "STATEMENT_CATEGORY_") {
		name = "STATEMENT_CATEGORY_" + name
	}
	for _, c := range Categories {
		if c == name {
			return c, true
		}
	}
	return "", false
}

// defaultIncompatibleGround names the rule broken when the moderator named
// none.
const defaultIncompatibleGround = "The organisation's rules for replies to its posts"

// newStatement makes the statement of reasons of a decision on r, a reply
// to p, taken by actor at now, following notice (nil: on the
// organisation's own initiative). Plein's moderators decide by hand:
// nothing is detected or decided by automated means.
func newStatement(r *model.Reply, p *model.Post, rs Reasons, to model.ReplyState, actor auth.Actor, now time.Time, notice *model.Notice) *model.Statement {
	st := &model.Statement{ID: model.NewID(now), OrgID: p.OrgID, ReplyID: r.ID, PostID: p.ID, Decision: to,
		Ground: rs.Ground, Law: rs.Law, Explanation: rs.Explanation, Category: rs.Category,
		ContentType: []string{ContentTypeText}, ContentDate: r.Published, ApplicationDate: now,
		SourceType: SourceVoluntary, AutomatedDecision: AutomatedNotAutomated, Language: p.Language,
		DecidedBy: actor.UserID, DecidedByName: actor.Name, CreatedAt: now}
	if st.ContentDate.IsZero() || st.ContentDate.After(r.ReceivedAt) {
		st.ContentDate = r.ReceivedAt
	}
	if st.Ground == model.GroundIncompatible && st.Law == "" {
		st.Law = defaultIncompatibleGround
	}
	if to == model.ReplyRefused {
		st.Visibility = VisibilityRemoved
		st.Facts = "A reply from the Fediverse to a public post of the organisation was held for review before " +
			"publication, as every reply is. A staff member of the organisation reviewed it and refused to publish it " +
			"on the post's page and in its replies collection, on the ground stated. The reply was not detected and " +
			"the decision was not taken by automated means, and no notice preceded it."
	} else {
		st.Visibility = VisibilityDisabled
		st.Facts = "A reply from the Fediverse to a public post of the organisation had been approved and shown under " +
			"the post. A staff member of the organisation reviewed it again and removed it from the post's page and " +
			"its replies collection, on the ground stated. The reply was not detected and the decision was not taken " +
			"by automated means, and no notice preceded it."
	}
	if notice != nil {
		// Art. 16 notices: the public report form and Fediverse reports.
		st.NoticeID, st.SourceType = notice.ID, SourceArticle16
		st.Facts = strings.Replace(st.Facts, "and no notice preceded it.",
			"and it followed a notice that the reply was "+noticeClaim(notice)+", received on "+
				notice.ReceivedAt.UTC().Format(dateFormat)+" through "+noticeChannel(notice)+".", 1)
	}
	return st
}

// noticeClaim is what a notice said of the content, without its words.
func noticeClaim(n *model.Notice) string {
	if n.Ground == model.GroundIllegal {
		return "illegal"
	}
	if n.Ground == model.GroundIncompatible {
		return "against the organisation's rules"
	}
	return "illegal or against the organisation's rules"
}

// noticeChannel names how a notice arrived.
func noticeChannel(n *model.Notice) string {
	if n.Source == model.NoticeFromForm {
		return "the organisation's public report form"
	}
	return "a report from another Fediverse server"
}

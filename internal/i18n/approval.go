package i18n

// The text of four-eyes publishing: its refusals, its audit sentences, the
// notices mailed to staff and its staff screens.
const (
	ErrCorrectionDistance     Key = "error.approval.distance"        // limit
	ErrApprovalOperatorReason Key = "error.approval.operator"        //
	ErrReasonTooLong          Key = "error.approval.reason.toolong"  // length, limit
	ErrCrisisAdminsOnly       Key = "error.approval.crisis.admins"   //
	ErrApprovalNeedsAccount   Key = "error.approval.account"         //
	ErrNotAwaiting            Key = "error.approval.notawaiting"     //
	ErrApprovalReturned       Key = "error.approval.returned"        //
	ErrSelfApproval           Key = "error.approval.self"            //
	ErrNoteEmpty              Key = "error.approval.note.empty"      //
	ErrNoteTooLong            Key = "error.approval.note.toolong"    // length, limit
	ErrAlreadyAwaiting        Key = "error.approval.alreadyawaiting" //

	RoleApprover Key = "staff.role.approver"

	AuditPostCreateAwaiting Key = "audit.post.createawaiting" // actor, post
	AuditPostSubmit         Key = "audit.post.submit"         // actor, post
	AuditPostEditSubmit     Key = "audit.post.editsubmit"     // actor, post
	AuditPostApprove        Key = "audit.post.approve"        // actor, post
	AuditPostApproveEdit    Key = "audit.post.approveedit"    // actor, post
	AuditPostReturn         Key = "audit.post.return"         // actor, post, note
	AuditPostReturnEdit     Key = "audit.post.returnedit"     // actor, post, note
	AuditPostCrisis         Key = "audit.post.crisis"         // actor, post, reason
	AuditPostCorrect        Key = "audit.post.correct"        // actor, post
	AuditPostMissed         Key = "audit.post.missed"         // (no actor), post
	AuditOrgApprovalOn      Key = "audit.org.approval.on"     // actor, organisation, characters
	AuditOrgApprovalOff     Key = "audit.org.approval.off"    // actor, organisation
	AuditOrgApprovalStrict  Key = "audit.org.approval.strict" // actor, organisation
)

var approvalMessages = map[Key][2]string{
	ErrCorrectionDistance:     {"kies een aantal tekens van 0 tot en met %d", "choose a number of characters from 0 to %d"},
	ErrApprovalOperatorReason: {"deze organisatie publiceert alleen na goedkeuring; wie zonder account publiceert, moet een reden opgeven, die in het auditlog komt", "this organisation publishes only after approval; publishing without an account needs a stated reason, which the audit log keeps"},
	ErrReasonTooLong:          {"de reden is %d tekens lang; het maximum is %d", "the reason is %d characters long; the limit is %d"},
	ErrCrisisAdminsOnly:       {"alleen beheerders mogen met een reden direct publiceren, zonder goedkeuring; laat het veld leeg om het bericht ter goedkeuring aan te bieden", "only admins may publish directly, without approval, by stating a reason; leave the field empty to submit the post for approval"},
	ErrApprovalNeedsAccount:   {"goedkeuren en terugsturen gebeurt op naam: noem het account van de eindredacteur", "approving and returning is done by name: name the account of the approver"},
	ErrNotAwaiting:            {"dit bericht wacht niet op goedkeuring", "this post does not await approval"},
	ErrApprovalReturned:       {"dit bericht is teruggestuurd; de schrijver moet het eerst opnieuw aanbieden", "this post was returned; its author must submit it again first"},
	ErrSelfApproval:           {"u schreef (een deel van) dit bericht zelf en mag het daarom niet goedkeuren: een ander moet dat doen, ook als u beheerder bent", "you wrote (part of) this post yourself and so may not approve it: someone else must, even when you are an admin"},
	ErrNoteEmpty:              {"schrijf een opmerking voor de schrijver: wat moet er anders", "write a note for the author: what should change"},
	ErrNoteTooLong:            {"de opmerking is %d tekens lang; het maximum is %d", "the note is %d characters long; the limit is %d"},
	ErrAlreadyAwaiting:        {"dit bericht wacht al op goedkeuring", "this post already awaits approval"},

	RoleApprover: {"eindredacteur", "approver"},

	AuditPostCreateAwaiting: {"%s schreef het bericht ‘%s’ en bood het ter goedkeuring aan", "%s wrote the post ‘%s’ and submitted it for approval"},
	AuditPostSubmit:         {"%s bood het bericht ‘%s’ ter goedkeuring aan", "%s submitted the post ‘%s’ for approval"},
	AuditPostEditSubmit:     {"%s bood een wijziging van het gepubliceerde bericht ‘%s’ ter goedkeuring aan", "%s submitted an edit of the published post ‘%s’ for approval"},
	AuditPostApprove:        {"%s keurde het bericht ‘%s’ goed", "%s approved the post ‘%s’"},
	AuditPostApproveEdit:    {"%s keurde de wijziging van het bericht ‘%s’ goed", "%s approved the edit of the post ‘%s’"},
	AuditPostReturn:         {"%s stuurde het bericht ‘%s’ terug met de opmerking ‘%s’", "%s returned the post ‘%s’ with the note ‘%s’"},
	AuditPostReturnEdit:     {"%s stuurde de wijziging van het bericht ‘%s’ terug met de opmerking ‘%s’", "%s returned the edit of the post ‘%s’ with the note ‘%s’"},
	AuditPostCrisis:         {"%s publiceerde het bericht ‘%s’ direct, zonder goedkeuring, met als reden ‘%s’", "%s published the post ‘%s’ directly, without approval, giving the reason ‘%s’"},
	AuditPostCorrect:        {"%s verbeterde tikfouten in het bericht ‘%s’, zonder goedkeuring als kleine correctie", "%s corrected typing errors in the post ‘%s’, without approval as a small correction"},
	AuditPostMissed:         {"het ingeplande bericht ‘%[2]s’ was op zijn tijd niet goedgekeurd en is niet gepubliceerd", "the scheduled post ‘%[2]s’ was not approved by its time and was not published"},
	AuditOrgApprovalOn:      {"%s stelde in dat %s alleen na goedkeuring publiceert (correcties van hoogstens %s tekens uitgezonderd)", "%s set %s to publish only after approval (except corrections of at most %s characters)"},
	AuditOrgApprovalStrict:  {"%s stelde in dat %s alleen na goedkeuring publiceert, ook correcties", "%s set %s to publish only after approval, corrections included"},
	AuditOrgApprovalOff:     {"%s stelde in dat %s zonder goedkeuring publiceert", "%s set %s to publish without approval"},
}

// approvalText is the text of the notices and the staff screens.
var approvalText = map[string][2]string{
	"approval.mail.awaiting.subject":      {"Bericht wacht op goedkeuring – %s", "Post awaiting approval – %s"},
	"approval.mail.awaiting":              {"Bij %s wacht een bericht op goedkeuring: ‘%s’. Keur het goed, of stuur het terug met een opmerking:", "At %s a post awaits approval: ‘%s’. Approve it, or return it with a note:"},
	"approval.mail.awaiting.edit.subject": {"Wijziging wacht op goedkeuring – %s", "Edit awaiting approval – %s"},
	"approval.mail.awaiting.edit":         {"Bij %s wacht een wijziging van een gepubliceerd bericht op goedkeuring: ‘%s’. Keur haar goed, of stuur haar terug met een opmerking:", "At %s an edit of a published post awaits approval: ‘%s’. Approve it, or return it with a note:"},
	"approval.mail.returned.subject":      {"Bericht teruggestuurd – %s", "Post returned – %s"},
	"approval.mail.returned":              {"Bij %s is uw bericht ‘%s’ teruggestuurd met een opmerking. Lees de opmerking, pas het bericht aan en bied het opnieuw aan:", "At %s your post ‘%s’ was returned with a note. Read the note, change the post and submit it again:"},
	"approval.mail.missed.subject":        {"Ingepland bericht niet gepubliceerd – %s", "Scheduled post not published – %s"},
	"approval.mail.missed":                {"Bij %s is uw ingeplande bericht ‘%s’ niet op tijd goedgekeurd en daarom niet gepubliceerd. Het wacht nog op goedkeuring; wordt het goedgekeurd, dan verschijnt het meteen:", "At %s your scheduled post ‘%s’ was not approved by its time and so was not published. It still awaits approval; once approved, it appears at once:"},

	"staff.approvals":                 {"Goedkeuren", "Approvals"},
	"staff.approvals.title":           {"Wacht op goedkeuring", "Awaiting approval"},
	"staff.approvals.none":            {"Er wacht niets op goedkeuring.", "Nothing awaits approval."},
	"staff.approvals.intro":           {"Berichten en wijzigingen van gepubliceerde berichten die op goedkeuring wachten, de oudste eerst. Niemand keurt goed wat hij zelf schreef.", "Posts and edits of published posts that await approval, oldest first. Nobody approves what they wrote themselves."},
	"staff.approvals.new":             {"Nieuw bericht", "New post"},
	"staff.approvals.edit":            {"Wijziging van een gepubliceerd bericht", "Edit of a published post"},
	"staff.approvals.by":              {"Aangeboden door %s, %s", "Submitted by %s, %s"},
	"staff.approvals.at":              {"Gevraagde publicatietijd: %s", "Publication time asked for: %s"},
	"staff.approvals.late":            {"Deze tijd is voorbij: goedkeuren publiceert het bericht meteen.", "This time has passed: approving publishes the post at once."},
	"staff.approvals.now":             {"Wordt gepubliceerd zodra het is goedgekeurd.", "Is published once approved."},
	"staff.approvals.published":       {"Nu gepubliceerd", "Published now"},
	"staff.approvals.proposed":        {"Voorgestelde tekst", "Proposed text"},
	"staff.approvals.own":             {"U schreef dit zelf: een ander moet het goedkeuren.", "You wrote this yourself: someone else must approve it."},
	"staff.approvals.approve":         {"Goedkeuren en publiceren", "Approve and publish"},
	"staff.approvals.note":            {"Opmerking voor de schrijver", "Note for the author"},
	"staff.approvals.return":          {"Terugsturen", "Return"},
	"staff.approvals.returned":        {"Teruggestuurd door %s, %s", "Returned by %s, %s"},
	"staff.approvals.returnedlist":    {"Teruggestuurd, wacht op de schrijver", "Returned, waiting for the author"},
	"staff.approval.required":         {"Deze organisatie publiceert alleen na goedkeuring: ‘Publiceren’ en ‘Inplannen’ bieden het bericht aan een eindredacteur aan.", "This organisation publishes only after approval: ‘Publish’ and ‘Schedule’ submit the post to an approver."},
	"staff.approval.awaiting":         {"Dit bericht wacht op goedkeuring. U kunt het nog aanpassen.", "This post awaits approval. You can still change it."},
	"staff.approval.editawaiting":     {"Een wijziging van dit bericht wacht op goedkeuring; tot dan blijft de gepubliceerde versie staan. Het formulier toont de wijziging.", "An edit of this post awaits approval; until then the published version stays. The form shows the edit."},
	"staff.approval.returnednote":     {"Teruggestuurd door %s met deze opmerking:", "Returned by %s with this note:"},
	"staff.approval.returnedhint":     {"Pas het bericht aan en bied het opnieuw aan met ‘Publiceren’ of ‘Inplannen’.", "Change the post and submit it again with ‘Publish’ or ‘Schedule’."},
	"staff.approval.returnededit":     {"Pas de wijziging aan en bied haar opnieuw aan met ‘Wijzigingen opslaan’.", "Change the edit and submit it again with ‘Save changes’."},
	"staff.approval.reason":           {"Reden om direct te publiceren (alleen in een crisis)", "Reason to publish directly (in a crisis only)"},
	"staff.approval.reason.hint":      {"Alleen voor beheerders: met een reden wordt het bericht zonder goedkeuring gepubliceerd. De reden komt in het auditlog. Laat leeg om het ter goedkeuring aan te bieden.", "For admins only: with a reason the post is published without approval. The audit log keeps the reason. Leave empty to submit it for approval."},
	"staff.approval.policy":           {"Goedkeuring (vier ogen)", "Approval (four eyes)"},
	"staff.approval.policy.required":  {"Berichten en wijzigingen alleen publiceren na goedkeuring door een eindredacteur of beheerder", "Publish posts and edits only after approval by an approver or admin"},
	"staff.approval.policy.distance":  {"Tikfouten verbeteren zonder goedkeuring: hoogstens zoveel tekens (0 is uit)", "Correct typing errors without approval: at most this many characters (0 is off)"},
	"staff.approval.policy.hint":      {"Een correctie mag geen link, hashtag, vermelding, getal, afbeelding, inhoudswaarschuwing of taal veranderen.", "A correction may change no link, hashtag, mention, number, image, content warning or language."},
	"staff.approval.policy.save":      {"Goedkeuring opslaan", "Save approval setting"},
	"staff.done.awaiting":             {"Het bericht is ter goedkeuring aangeboden.", "The post was submitted for approval."},
	"staff.done.editawaiting":         {"De wijziging is ter goedkeuring aangeboden; de gepubliceerde versie blijft staan tot ze is goedgekeurd.", "The edit was submitted for approval; the published version stays until it is approved."},
	"staff.done.approvedpost":         {"Goedgekeurd.", "Approved."},
	"staff.done.returnedtoauthor":     {"Teruggestuurd naar de schrijver.", "Returned to the author."},
	"staff.done.approvalpolicy":       {"De instelling voor goedkeuring is opgeslagen.", "The approval setting is saved."},
	"staff.state.awaiting":            {"Wacht op goedkeuring", "Awaiting approval"},
	"staff.state.returned":            {"Teruggestuurd", "Returned"},
	"staff.approvals.approve.visible": {"Goedkeuren: %s", "Approve: %s"},
}

func init() {
	for k, v := range approvalMessages {
		messages[string(k)] = v
	}
	for k, v := range approvalText {
		messages[k] = v
	}
}

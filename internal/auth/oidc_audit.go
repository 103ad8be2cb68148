package auth

import (
	"context"
	"strings"

	"plein/internal/i18n"
	"plein/internal/model"
)

// sso tells the entries of single sign-on and of ending sessions.
func (d *describer) sso(ctx context.Context, e *model.AuditEntry, who Ref) (i18n.Message, error) {
	switch e.Action {
	case "sso.unlinked": // the target is the subject, the detail the issuer
		return i18n.M(i18n.AuditSSOUnlinked, who, e.Target, e.Detail), nil
	case "session.end":
		if e.Detail == "" {
			return i18n.M(i18n.AuditSessionEnd, who, i18n.M(i18n.SessionDeviceUnknown)), nil
		}
		return i18n.M(i18n.AuditSessionEnd, who, e.Detail), nil
	case "session.end-others":
		return i18n.M(i18n.AuditSessionEndOthers, who), nil
	}
	a, err := d.account(ctx, e.Target, "")
	if err != nil {
		return i18n.Message{}, err
	}
	switch e.Action {
	case "sso.link":
		return i18n.M(i18n.AuditSSOLink, who, a), nil
	case "sso.unlink":
		return i18n.M(i18n.AuditSSOUnlink, who, a), nil
	case "session.end-all":
		return i18n.M(i18n.AuditSessionEndAll, who, a, e.Detail), nil
	}
	return i18n.M(i18n.AuditOther, who, e.Action, strings.TrimSpace(e.Target+" "+e.Detail)), nil
}

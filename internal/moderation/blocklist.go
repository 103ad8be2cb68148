package moderation

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/store"
)

// Limits on an imported blocklist.
const (
	// MaxBlocklistBytes is the largest blocklist file Plein reads.
	MaxBlocklistBytes = 2 << 20
	// MaxBlocklistLines is the most lines of a blocklist file.
	MaxBlocklistLines = 20000
	// MaxBlockReason is the most characters of a block's reason; longer
	// public comments are cut.
	MaxBlockReason = 500
)

// ParseBlockMode returns the block mode named s: "suspend" (the default,
// also for "") or "hide-replies".
func ParseBlockMode(s string) (model.BlockMode, error) {
	switch m := model.BlockMode(strings.ToLower(strings.TrimSpace(s))); m {
	case "", model.BlockSuspend:
		return model.BlockSuspend, nil
	case model.BlockHideReplies:
		return m, nil
	}
	return "", model.Invalid("mode", i18n.M(i18n.ErrBlockMode, s))
}

// BlockWith keeps an account or server out, as Block does, in the mode
// given: BlockSuspend refuses its activities and ends its follows at once;
// BlockHideReplies lets its activities in, keeps its follows, and refuses
// each of its replies automatically when it arrives.
func (s *Service) BlockWith(ctx context.Context, actor auth.Actor, orgID, target, reason string, mode model.BlockMode) (*model.Block, error) {
	if err := s.requireBlocks(ctx, actor, orgID, auth.PermManage); err != nil {
		return nil, err
	}
	mode, err := ParseBlockMode(string(mode))
	if err != nil {
		return nil, err
	}
	kind, target, err := ParseBlockTarget(target)
	if err != nil {
		return nil, err
	}
	reason = cutRunes(strings.TrimSpace(reason), MaxBlockReason)
	now := s.now().UTC()
	b := &model.Block{ID: model.NewID(now), OrgID: orgID, Kind: kind, Target: target, Reason: reason, Mode: mode,
		CreatedBy: actor.UserID, CreatedAt: now}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.AddBlock(ctx, b); err != nil {
			return err
		}
		if mode == model.BlockSuspend {
			if _, err := tx.DropFollowsOfBlocked(ctx, orgID, kind, target); err != nil {
				return err
			}
		}
		if err := tx.MarkChanged(ctx); err != nil { // follower counts and shown replies are public
			return err
		}
		return auth.Audit(ctx, tx, actor, orgID, "block.add", target, string(kind)+" "+string(mode), now)
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil, model.Invalid("target", i18n.M(i18n.ErrBlockExists, target))
	}
	if err != nil {
		return nil, fmt.Errorf("moderation: block: %w", err)
	}
	return b, nil
}

// requireBlocks lets the actor manage (perm) the blocks of the
// organisation orgID, or ("" as orgID) the installation's: instance
// administrators only.
func (s *Service) requireBlocks(ctx context.Context, actor auth.Actor, orgID string, perm auth.Permission) error {
	if orgID == "" {
		return auth.RequireAdmin(actor)
	}
	return s.auth.Require(ctx, actor, orgID, perm)
}

// BlocklistEntry is one server of a blocklist file.
type BlocklistEntry struct {
	Line   int
	Domain string
	Mode   model.BlockMode
	Reason string // the list's public comment
}

// BlocklistProblem is a line of a blocklist that was not imported, and
// why.
type BlocklistProblem struct {
	Line   int
	Domain string // as written; empty when unreadable
	Why    i18n.Message
}

// ImportReport tells what an import of a blocklist did: the servers it
// blocked, the lines it skipped on purpose (no-op severity, obfuscated
// domains, servers blocked already) and the lines it could not read.
type ImportReport struct {
	Added   []BlocklistEntry
	Skipped []BlocklistProblem
	Invalid []BlocklistProblem
}

// ParseBlocklist reads a blocklist in Mastodon's domain-block CSV format
// (a header #domain,#severity,#reject_media,#reject_reports,
// #public_comment,#obfuscate, the # optional) or in the older form of one
// domain a line. Severity suspend is a suspension, silence hides replies,
// noop is skipped; so are domains obfuscated with '*', which cannot be
// matched. It returns the entries to block and the lines not taken; an
// error only for a file over MaxBlocklistBytes or MaxBlocklistLines.
func ParseBlocklist(r io.Reader) ([]BlocklistEntry, *ImportReport, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBlocklistBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("moderation: read blocklist: %w", err)
	}
	if len(data) > MaxBlocklistBytes {
		return nil, nil, model.Invalid("file", i18n.M(i18n.ErrBlocklistTooLarge, MaxBlocklistBytes>>20))
	}
	if !utf8.Valid(data) {
		return nil, nil, model.Invalid("file", i18n.M(i18n.ErrBlocklistEncoding))
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	if n := strings.Count(text, "\n"); n > MaxBlocklistLines {
		return nil, nil, model.Invalid("file", i18n.M(i18n.ErrBlocklistLines, n, MaxBlocklistLines))
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord, cr.LazyQuotes, cr.TrimLeadingSpace = -1, true, true
	report := &ImportReport{}
	var entries []BlocklistEntry
	cols := map[string]int{"domain": 0, "severity": -1, "public_comment": -1}
	seen := map[string]bool{}
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			report.Invalid = append(report.Invalid, BlocklistProblem{Line: pe.StartLine, Why: i18n.M(i18n.BlocklistUnreadable)})
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("moderation: read blocklist: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if first && isBlocklistHeader(rec) {
			for i, name := range rec {
				cols[strings.ToLower(strings.TrimPrefix(strings.TrimSpace(name), "#"))] = i
			}
			continue
		}
		field := func(name string) string {
			if i, ok := cols[name]; ok && i >= 0 && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		domain := field("domain")
		if domain == "" && len(rec) == 1 {
			continue // a blank line
		}
		if strings.HasPrefix(domain, "#") {
			continue // a comment
		}
		severity := strings.ToLower(field("severity"))
		var mode model.BlockMode
		switch severity {
		case "", "suspend":
			mode = model.BlockSuspend
		case "silence":
			mode = model.BlockHideReplies
		case "noop":
			report.Skipped = append(report.Skipped, BlocklistProblem{Line: line, Domain: domain, Why: i18n.M(i18n.BlocklistNoop)})
			continue
		default:
			report.Invalid = append(report.Invalid, BlocklistProblem{Line: line, Domain: domain, Why: i18n.M(i18n.BlocklistSeverity, severity)})
			continue
		}
		if strings.Contains(domain, "*") {
			report.Skipped = append(report.Skipped, BlocklistProblem{Line: line, Domain: domain, Why: i18n.M(i18n.BlocklistObfuscated)})
			continue
		}
		host, ok := blocklistDomain(domain)
		if !ok {
			report.Invalid = append(report.Invalid, BlocklistProblem{Line: line, Domain: domain, Why: i18n.M(i18n.BlocklistDomain)})
			continue
		}
		if seen[host] {
			report.Skipped = append(report.Skipped, BlocklistProblem{Line: line, Domain: domain, Why: i18n.M(i18n.BlocklistRepeated)})
			continue
		}
		seen[host] = true
		entries = append(entries, BlocklistEntry{Line: line, Domain: host, Mode: mode, Reason: cutRunes(field("public_comment"), MaxBlockReason)})
	}
	return entries, report, nil
}

// isBlocklistHeader reports whether rec is the header of Mastodon's
// format: its first column is named domain, with or without '#'.
func isBlocklistHeader(rec []string) bool {
	return len(rec) > 0 && strings.EqualFold(strings.TrimPrefix(strings.TrimSpace(rec[0]), "#"), "domain")
}

// blocklistDomain returns the host name d in lower case, without a final
// dot, when it is one: labels of letters, digits and hyphens, at least two
// of them, at most 253 characters.
func blocklistDomain(d string) (string, bool) {
	d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
	if d == "" || len(d) > 253 {
		return "", false
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return "", false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return "", false
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return "", false
			}
		}
	}
	return d, true
}

// ImportBlocks reads a blocklist (see ParseBlocklist) and blocks each of
// its servers for the organisation orgID, by its admins, or ("" as
// orgID) for the installation, by instance administrators, in one
// transaction. Servers blocked already are skipped.
func (s *Service) ImportBlocks(ctx context.Context, actor auth.Actor, orgID string, r io.Reader) (*ImportReport, error) {
	if err := s.requireBlocks(ctx, actor, orgID, auth.PermManage); err != nil {
		return nil, err
	}
	entries, report, err := ParseBlocklist(r)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		existing, err := tx.Blocks(ctx, orgID)
		if err != nil {
			return err
		}
		blocked := map[string]bool{}
		for _, b := range existing {
			if b.Kind == model.BlockServer {
				blocked[b.Target] = true
			}
		}
		for _, e := range entries {
			if blocked[e.Domain] {
				report.Skipped = append(report.Skipped, BlocklistProblem{Line: e.Line, Domain: e.Domain, Why: i18n.M(i18n.BlocklistAlready)})
				continue
			}
			b := &model.Block{ID: model.NewID(now), OrgID: orgID, Kind: model.BlockServer, Target: e.Domain, Reason: e.Reason,
				Mode: e.Mode, CreatedBy: actor.UserID, CreatedAt: now}
			if err := tx.AddBlock(ctx, b); err != nil {
				return err
			}
			if e.Mode == model.BlockSuspend {
				if _, err := tx.DropFollowsOfBlocked(ctx, orgID, model.BlockServer, e.Domain); err != nil {
					return err
				}
			}
			report.Added = append(report.Added, e)
		}
		if len(report.Added) == 0 {
			return nil
		}
		if err := tx.MarkChanged(ctx); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, actor, orgID, "block.import", strconv.Itoa(len(report.Added)), "", now)
	})
	if err != nil {
		return nil, fmt.Errorf("moderation: import blocks: %w", err)
	}
	slices.SortStableFunc(report.Skipped, func(a, b BlocklistProblem) int { return a.Line - b.Line })
	return report, nil
}

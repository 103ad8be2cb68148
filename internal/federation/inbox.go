package federation

import (
	"context"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"plein/internal/activity"
	"plein/internal/httpsig"
	"plein/internal/insights"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/post"
	"plein/internal/store"
)

// Errors of Receive; the web maps them to status codes.
var (
	// ErrSignature: the request is unsigned or its signature does not verify.
	ErrSignature = errors.New("federation: signature not accepted")
	// ErrNotSigner: the activity is not the signer's own.
	ErrNotSigner = errors.New("federation: activity does not belong to its signer")
	// ErrBadActivity: the body is not an activity Plein can read.
	ErrBadActivity = errors.New("federation: not a readable activity")
)

// actorCacheAge is how long a fetched remote actor and its key are used
// before they are fetched again.
const actorCacheAge = 24 * time.Hour

// settingReactionKey names the secret that keys the hashes of likes and
// boosts.
const settingReactionKey = "reaction_key"

// Receive processes one activity POSTed to an inbox: the shared inbox, or
// the inbox of the organisation orgID. It verifies the HTTP Signature,
// checks that the activity is the signer's own, processes each activity id
// once, and acts on it. Nothing is stored for a refused request.
func (s *Service) Receive(ctx context.Context, r *http.Request, body []byte, orgID string) error {
	var signer *model.RemoteActor
	resolve := func(ctx context.Context, keyID string) (*rsa.PublicKey, error) {
		a, key, err := s.remoteKey(ctx, keyID, httpsig.IsRefetch(ctx))
		if err != nil {
			return nil, err
		}
		signer = a
		return key, nil
	}
	if _, err := httpsig.Verify(ctx, r, body, resolve, s.now()); err != nil {
		return fmt.Errorf("%w: %w", ErrSignature, err)
	}
	// A blocked server or account is refused before anything of its
	// activity is read.
	if err := s.blocked(ctx, "", signer.ID); err != nil {
		return err
	}
	in, err := activity.ParseActivity(body)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadActivity, err)
	}
	if in.Actor != signer.ID {
		return fmt.Errorf("%w: actor %s, signed by %s", ErrNotSigner, in.Actor, signer.ID)
	}
	if hostOf(in.ID) != hostOf(in.Actor) {
		return fmt.Errorf("%w: activity id %s is not on the actor's server", ErrNotSigner, in.ID)
	}
	// The signer's server is up: deliveries to it need not wait any more.
	if err := s.serverAnswers(context.WithoutCancel(ctx), hostOf(signer.ID)); err != nil {
		slog.WarnContext(ctx, "federation: deliveries to a server that answers again still wait", "host", hostOf(signer.ID), "err", err)
	}
	seen := hashOf(in.ID)
	first, err := s.st.MarkSeen(ctx, seen, s.now().UTC())
	if err != nil || !first {
		return err // a repeated delivery: done already
	}
	if err := s.handle(ctx, in, signer, orgID); err != nil {
		// Its server may send it again; then it is handled anew.
		if uerr := s.st.UnmarkSeen(context.WithoutCancel(ctx), seen); uerr != nil {
			return errors.Join(err, uerr)
		}
		return err
	}
	return nil
}

// handle acts on an activity received for the first time.
func (s *Service) handle(ctx context.Context, in *activity.Incoming, signer *model.RemoteActor, orgID string) error {
	switch in.Type {
	case activity.TypeFollow:
		return s.follow(ctx, in, signer, orgID)
	case activity.TypeUndo:
		return s.undo(ctx, in, signer)
	case activity.TypeLike, activity.TypeAnnounce:
		return s.react(ctx, in.Type, in.Object.ID, signer.ID)
	case activity.TypeCreate, activity.TypeUpdate:
		if in.Object.Note != nil {
			return s.reply(ctx, in, signer)
		}
	case activity.TypeDelete:
		if in.Object.ID == signer.ID { // the actor itself is gone
			return s.st.InTx(ctx, func(tx store.Tx) error {
				follows, err := tx.ForgetActor(ctx, signer.ID)
				if err != nil || follows == 0 {
					return err
				}
				return tx.MarkChanged(ctx) // follower counts are public
			})
		}
		prior, err := s.st.Reply(ctx, in.Object.ID)
		if err != nil {
			return nil // nothing of it kept here
		}
		return s.st.InTx(ctx, func(tx store.Tx) error {
			deleted, err := tx.DeleteReply(ctx, in.Object.ID, signer.ID)
			if err != nil || !deleted || prior.State != model.ReplyShown {
				return err
			}
			return tx.MarkChanged(ctx) // it was shown under its post
		})
	case activity.TypeMove:
		return s.move(ctx, in, signer)
	case activity.TypeFlag:
		return s.flag(ctx, in, signer)
	}
	// Other activities (such as Block) are accepted and not acted on.
	return nil
}

// move hands a follower's follows to the account it moved to. The new
// account must name the old one in its alsoKnownAs, as Mastodon checks,
// so that nobody can take another's follows.
func (s *Service) move(ctx context.Context, in *activity.Incoming, signer *model.RemoteActor) error {
	if in.Object.ID != signer.ID || in.Target == "" {
		return fmt.Errorf("%w: a Move must move its own actor to a target", ErrBadActivity)
	}
	if o, err := s.orgOfActorID(ctx, in.Target); err == nil {
		return s.moveIn(ctx, in, signer, o) // an earlier account moving here
	}
	if none, err := s.followsNothing(ctx, signer.ID); err != nil || none {
		return err // nothing to hand over: the target is not even fetched
	}
	body, err := s.fetch(ctx, in.Target)
	if err != nil {
		return err
	}
	target, err := activity.ParseActor(body)
	if err != nil || target.ID != in.Target {
		return fmt.Errorf("%w: Move target %s is not an actor", ErrBadActivity, in.Target)
	}
	if !slices.Contains(target.AlsoKnownAs, signer.ID) {
		return fmt.Errorf("%w: %s does not name %s as a former account", ErrBadActivity, target.ID, signer.ID)
	}
	to, err := s.storeActor(ctx, in.Target, body, "")
	if err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.MoveFollower(ctx, signer.ID, to.ID, to.DeliveryInbox(), to.SharedInbox == ""); err != nil {
			return err
		}
		return tx.MarkChanged(ctx) // follower counts are public
	})
}

// reply keeps a citizen's reply to a public post, sanitised and pending
// moderation, or updates it when its author edited it. Notes that reply to
// nothing of this installation are not kept.
func (s *Service) reply(ctx context.Context, in *activity.Incoming, signer *model.RemoteActor) error {
	n := in.Object.Note
	if n.AttributedTo != "" && n.AttributedTo != signer.ID {
		return fmt.Errorf("%w: a note attributed to another actor", ErrNotSigner)
	}
	if hostOf(in.Object.ID) != hostOf(signer.ID) {
		return fmt.Errorf("%w: note id %s is not on the actor's server", ErrNotSigner, in.Object.ID)
	}
	if id, ok := strings.CutPrefix(n.InReplyTo, s.StatementID("")); ok && in.Type == activity.TypeCreate {
		return s.complaint(ctx, id, n, signer)
	}
	// A direct message to the organisation, also one that replies to a
	// post, is a question for its inbox and never a reply to show.
	if orgs := s.directOrgs(ctx, in, n); len(orgs) > 0 {
		return s.direct(ctx, in, n, signer, orgs)
	}
	postID, ok := s.postOfNoteID(n.InReplyTo)
	if !ok {
		return nil
	}
	p, err := s.posts.Get(ctx, postID)
	if errors.Is(err, post.ErrNotFound) || err == nil && !p.Public() {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.blocked(ctx, p.OrgID, signer.ID); err != nil {
		return err
	}
	r := &model.Reply{ID: in.Object.ID, PostID: postID, ActorID: signer.ID, URL: n.URL,
		ContentHTML: string(markup.SanitizeHTML(n.Content)), Summary: string(markup.SanitizeHTML(n.Summary)),
		State: model.ReplyPending, Published: n.Published, ReceivedAt: s.now().UTC()}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		prior, err := tx.Reply(ctx, r.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := tx.PutReply(ctx, r); err != nil {
			return err
		}
		if s.Moderation != nil { // the organisation's filters and blocks that hide replies
			if err := s.Moderation.ScreenReply(ctx, tx, r.ID, p); err != nil {
				return err
			}
		}
		if prior != nil && prior.State == model.ReplyShown {
			return tx.MarkChanged(ctx) // an edit of a shown reply is moderated again
		}
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if in.Type == activity.TypeCreate {
		s.count(p.OrgID, postID, insights.MetricReplies, 1)
	}
	return nil
}

// Replies returns the replies to a post, for moderation.
func (s *Service) Replies(ctx context.Context, postID string) ([]*model.Reply, error) {
	return s.st.Replies(ctx, postID)
}

func hostOf(iri string) string {
	u, err := url.Parse(iri)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// remoteKey returns the actor owning keyID and its public key, from the
// cache unless refetch, else fetched from the actor's server with a signed
// GET (for servers that require authorized fetch). Key ids may be a
// fragment of the actor (Mastodon: actor#main-key) or an address of their
// own whose document names the owner (GoToSocial: actor/main-key); either
// way the actor document itself must publish the key.
func (s *Service) remoteKey(ctx context.Context, keyID string, refetch bool) (*model.RemoteActor, *rsa.PublicKey, error) {
	if !refetch {
		if a, err := s.st.RemoteActorByKey(ctx, keyID); err == nil && s.now().Sub(a.FetchedAt) < actorCacheAge {
			key, err := httpsig.DecodePublicKey(a.PublicKeyPEM)
			return a, key, err
		}
	}
	keyURL, _, _ := strings.Cut(keyID, "#")
	body, err := s.fetch(ctx, keyURL)
	if err != nil {
		return nil, nil, err
	}
	var doc struct {
		ID        string `json:"id"`
		Owner     string `json:"owner"`
		PublicKey struct {
			Owner string `json:"owner"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, nil, fmt.Errorf("federation: key %s: %w", keyID, err)
	}
	actorURL := keyURL
	if doc.ID != keyURL { // a key document or actor stub naming its owner
		actorURL = doc.Owner
		if actorURL == "" {
			actorURL = doc.PublicKey.Owner
		}
		if actorURL == "" {
			actorURL = doc.ID
		}
		if hostOf(actorURL) != hostOf(keyURL) {
			return nil, nil, fmt.Errorf("federation: key %s names an owner on another server", keyID)
		}
		if body, err = s.fetch(ctx, actorURL); err != nil {
			return nil, nil, err
		}
	}
	a, err := s.storeActor(ctx, actorURL, body, keyID)
	if err != nil {
		return nil, nil, err
	}
	key, err := httpsig.DecodePublicKey(a.PublicKeyPEM)
	if err != nil {
		return nil, nil, err
	}
	return a, key, nil
}

// fetch GETs an ActivityPub document, signed by the instance actor.
func (s *Service) fetch(ctx context.Context, iri string) ([]byte, error) {
	key, _, err := s.Key(ctx, model.InstanceActorID)
	if err != nil {
		return nil, err
	}
	body, _, err := s.client.Get(ctx, iri, []string{activity.ContentType, "application/ld+json"},
		s.signer(s.InstanceActorID()+"#main-key", key, nil))
	if err != nil {
		s.goneOnFetch(ctx, iri, err) // a follower whose actor is gone is no longer one
		return nil, fmt.Errorf("federation: fetch: %w", err)
	}
	return body, nil
}

// FetchActor fetches a remote actor document and stores what Plein keeps
// of it, with its main key.
func (s *Service) FetchActor(ctx context.Context, actorURL string) (*model.RemoteActor, error) {
	body, err := s.fetch(ctx, actorURL)
	if err != nil {
		return nil, err
	}
	return s.storeActor(ctx, actorURL, body, "")
}

// storeActor parses the actor document fetched from actorURL, checks that
// it is that actor and publishes keyID (empty: its main key) as its own,
// and stores what Plein keeps of it.
func (s *Service) storeActor(ctx context.Context, actorURL string, body []byte, keyID string) (*model.RemoteActor, error) {
	ra, err := activity.ParseActor(body)
	if err != nil {
		return nil, fmt.Errorf("federation: actor %s: %w", actorURL, err)
	}
	if ra.ID != actorURL {
		return nil, fmt.Errorf("federation: %s answered for another actor %s", actorURL, ra.ID)
	}
	k := ra.PublicKey
	if keyID != "" {
		var ok bool
		if k, ok = ra.Key(keyID); !ok {
			return nil, fmt.Errorf("federation: %s does not publish key %s", actorURL, keyID)
		}
	}
	if k.Owner != "" && k.Owner != ra.ID {
		return nil, fmt.Errorf("federation: the key of %s belongs to %s", ra.ID, k.Owner)
	}
	a := &model.RemoteActor{ID: ra.ID, Inbox: ra.Inbox, SharedInbox: ra.SharedInbox, KeyID: k.ID,
		PublicKeyPEM: k.PublicKeyPem, FetchedAt: s.now().UTC(), Username: ra.PreferredUsername, URL: ra.URL}
	if err := s.st.PutRemoteActor(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// orgOfActorID returns the organisation whose actor id is iri.
func (s *Service) orgOfActorID(ctx context.Context, iri string) (*model.Org, error) {
	id, ok := strings.CutPrefix(iri, s.baseURL+"/orgs/")
	if !ok || !model.ValidID(id) {
		return nil, ErrNotFound
	}
	o, err := s.orgs.ByID(ctx, id)
	if err != nil {
		return nil, ErrNotFound
	}
	return o, nil
}

// follow records a follower and sends the Accept, in one transaction.
func (s *Service) follow(ctx context.Context, in *activity.Incoming, signer *model.RemoteActor, inboxOrg string) error {
	o, err := s.orgOfActorID(ctx, in.Object.ID)
	if err != nil || inboxOrg != "" && o.ID != inboxOrg {
		return fmt.Errorf("%w: Follow of %s, which is not an organisation here", ErrBadActivity, in.Object.ID)
	}
	if err := s.blocked(ctx, o.ID, signer.ID); err != nil {
		return err
	}
	actorID := s.ActorID(o.ID)
	accept := activity.NewAccept(s.baseURL+"/accepts/"+hashOf(in.ID)[:32], actorID,
		activity.Activity{ID: in.ID, Type: activity.TypeFollow, Actor: signer.ID, Object: activity.IRI(actorID)})
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.PutFollower(ctx, &model.Follower{OrgID: o.ID, ActorID: signer.ID, FollowID: in.ID,
			Inbox: signer.DeliveryInbox(), OwnInbox: signer.SharedInbox == "", CreatedAt: s.now().UTC()}); err != nil {
			return err
		}
		if err := tx.MarkChanged(ctx); err != nil { // follower counts are public
			return err
		}
		return enqueueDelivery(ctx, tx, o.ID, signer.Inbox, accept)
	})
	if err == nil {
		s.count(o.ID, "", insights.MetricFollowersGained, 1)
	}
	return err
}

// undo reverses a Follow, Like or Announce given in full.
func (s *Service) undo(ctx context.Context, in *activity.Incoming, signer *model.RemoteActor) error {
	inner, err := in.Object.Activity()
	if err != nil {
		// An Undo that names its activity by id only (as some servers
		// send): the only one Plein can match by id is a Follow.
		return s.st.InTx(ctx, func(tx store.Tx) error {
			removed, err := tx.RemoveFollow(ctx, signer.ID, in.Object.ID)
			if err != nil || !removed {
				return err
			}
			return tx.MarkChanged(ctx)
		})
	}
	if inner.Actor != signer.ID {
		return fmt.Errorf("%w: Undo of another actor's activity", ErrNotSigner)
	}
	switch inner.Type {
	case activity.TypeFollow:
		o, err := s.orgOfActorID(ctx, inner.Object.ID)
		if err != nil {
			return nil
		}
		err = s.st.InTx(ctx, func(tx store.Tx) error {
			if err := tx.RemoveFollower(ctx, o.ID, signer.ID); err != nil {
				return err
			}
			return tx.MarkChanged(ctx)
		})
		if err == nil {
			s.count(o.ID, "", insights.MetricFollowersLost, 1)
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	case activity.TypeLike, activity.TypeAnnounce:
		postID, ok := s.postOfNoteID(inner.Object.ID)
		if !ok {
			return nil
		}
		key, err := s.reactionKey(ctx, signer.ID, inner.Type, postID)
		if err != nil {
			return err
		}
		_, err = s.st.RemoveReaction(ctx, key)
		return err
	}
	return nil
}

func (s *Service) postOfNoteID(iri string) (string, bool) {
	id, ok := strings.CutPrefix(iri, s.baseURL+"/posts/")
	return id, ok && model.ValidID(id)
}

// react counts a like or boost of a public post. Only a keyed hash of
// (actor, kind, post) is stored, enough to undo it and to count, never who
// it was.
func (s *Service) react(ctx context.Context, kind, object, actorID string) error {
	postID, ok := s.postOfNoteID(object)
	if !ok {
		return nil // about something that is not a post of this installation
	}
	p, err := s.posts.Get(ctx, postID)
	if errors.Is(err, post.ErrNotFound) || err == nil && !p.Public() {
		return nil
	}
	if err != nil {
		return err
	}
	key, err := s.reactionKey(ctx, actorID, kind, postID)
	if err != nil {
		return err
	}
	added, err := s.st.AddReaction(ctx, key, postID, kind, s.now().UTC())
	if added {
		metric := insights.MetricLikes
		if kind == activity.TypeAnnounce {
			metric = insights.MetricBoosts
		}
		s.count(p.OrgID, postID, metric, 1)
	}
	return err
}

// Reactions returns the number of likes and boosts of a post.
func (s *Service) Reactions(ctx context.Context, postID string) (likes, boosts int, err error) {
	counts, err := s.st.ReactionCounts(ctx, postID)
	return counts[activity.TypeLike], counts[activity.TypeAnnounce], err
}

// reactionKey is HMAC-SHA256, under the installation's secret, of actor,
// kind and post.
func (s *Service) reactionKey(ctx context.Context, actorID, kind, postID string) (string, error) {
	secret, err := s.reactionSecret.Bytes(ctx)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(actorID + "\x00" + kind + "\x00" + postID))
	return hex.EncodeToString(m.Sum(nil)), nil
}

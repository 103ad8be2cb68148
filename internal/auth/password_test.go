package auth

import (
	"context"
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h := HashPassword("correct horse battery staple")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("hash %q is not argon2id in PHC format", h)
	}
	if h == HashPassword("correct horse battery staple") {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		hash, password string
		ok             bool
		bad            bool
	}{
		{h, "correct horse battery staple", true, false},
		{h, "correct horse battery stapl", false, false},
		{h, "", false, false},
		{"$2a$10$abcdefghijklmnopqrstuv", "x", false, true},
		{"$argon2id$v=18$m=65536,t=3,p=2$c2FsdA$a2V5", "x", false, true},
		{"$argon2id$v=19$m=65536,t=3,p=2$!!$a2V5", "x", false, true},
		{"", "x", false, true},
	} {
		ok, err := VerifyPassword(context.Background(), tc.hash, tc.password, 0)
		if ok != tc.ok || (err != nil) != tc.bad {
			t.Errorf("VerifyPassword(%q, %q) = %v, %v", tc.hash, tc.password, ok, err)
		}
	}
	if p := RandomPassword(); len(p) < MinPasswordLength || checkPassword(p) != nil {
		t.Errorf("random password %q is not acceptable", p)
	}
}

package i18n

import "testing"

// TestApprovalKeysAreOwn fails when a key of four-eyes publishing is also
// a key of another part of the catalogue, which would replace its text.
func TestApprovalKeysAreOwn(t *testing.T) {
	for k, v := range approvalText {
		if messages[k] != v {
			t.Errorf("%q is also another message: %q", k, messages[k])
		}
	}
	for k, v := range approvalMessages {
		if messages[string(k)] != v {
			t.Errorf("%q is also another message: %q", k, messages[string(k)])
		}
	}
}

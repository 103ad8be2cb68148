package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"plein/internal/store/storetest"
)

// loginFrom sends the log-in form as if from the address from and keeps
// the form token of the page it gets back, as a browser would.
func (c *staffClient) loginFrom(email, password, from string) (*http.Response, string) {
	c.t.Helper()
	resp, page, err := c.postLogin(email, password, from)
	if err != nil {
		c.t.Fatal(err)
	}
	if m := csrfField.FindStringSubmatch(page); m != nil {
		c.csrf = m[1]
	}
	return resp, page
}

// failLogins sends n wrong passwords for email from the address from, each
// answered 401.
func failLogins(t *testing.T, c *staffClient, email, from string, n int) {
	t.Helper()
	for i := range n {
		if resp, _ := c.loginFrom(email, fmt.Sprint("wrong guess ", i), from); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d for %s from %s: %d, want 401", i+1, email, from, resp.StatusCode)
		}
	}
}

// TestStaffLockoutOnlyFromTheGuessingAddress guesses an account's password
// ten times from one address: that address is refused for the account, and
// the account's owner logs in from another address at once.
func TestStaffLockoutOnlyFromTheGuessingAddress(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	attacker := newStaffClient(t, f.srv)
	attacker.get("/staff/login")
	failLogins(t, attacker, "root@plein.nl", "198.51.100.66", 10)
	resp, _ := attacker.loginFrom("root@plein.nl", f.passwords["root@plein.nl"], "198.51.100.66")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password from the guessing address after 10 failures: %d, want 429", resp.StatusCode)
	}
	owner := newStaffClient(t, f.srv)
	owner.get("/staff/login")
	resp, _ = owner.loginFrom("root@plein.nl", f.passwords["root@plein.nl"], "203.0.113.5")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the owner from another address: %d, want 303 (logged in)", resp.StatusCode)
	}
}

// TestStaffLockoutBehindNAT: ten failures for one account from an address
// many staff share (a town hall behind one NAT) do not lock another
// account out from that address.
func TestStaffLockoutBehindNAT(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	const townHall = "192.0.2.10"
	c := newStaffClient(t, f.srv)
	c.get("/staff/login")
	failLogins(t, c, "editor@rotterdam.nl", townHall, 10)
	colleague := newStaffClient(t, f.srv)
	colleague.get("/staff/login")
	resp, _ := colleague.loginFrom("analyst@rotterdam.nl", f.passwords["analyst@rotterdam.nl"], townHall)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("another account from the same address: %d, want 303 (logged in)", resp.StatusCode)
	}
}

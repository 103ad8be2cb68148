// Package archtest holds the test that keeps Plein's package dependencies
// pointing in the direction docs/architecture.md draws.
package archtest

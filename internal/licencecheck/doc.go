// Package licencecheck holds the test that reads the licence of every
// module Plein is built and tested with, keeps the list in
// docs/dependencies.md, and fails when a module's licence is not one that
// lets Plein be distributed under the EUPL-1.2: a permissive licence (MIT,
// BSD, Apache-2.0, ISC and the like), MPL-2.0, LGPL or EUPL.
package licencecheck

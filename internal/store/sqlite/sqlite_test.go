package sqlite_test

import (
	"testing"

	"plein/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Engines()[0])
}

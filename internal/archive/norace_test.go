//go:build !race

package archive_test

// raceDetector tells that the tests run with the race detector.
const raceDetector = false

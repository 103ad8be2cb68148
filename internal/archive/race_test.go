//go:build race

package archive_test

// raceDetector tells that the tests run with the race detector, which
// multiplies the time and the memory of what they measure.
const raceDetector = true

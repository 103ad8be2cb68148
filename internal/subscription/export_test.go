package subscription

// SetBatches makes s divide a sending into batches of size subscribers,
// first batches in the step that claims it and step in each later step.
func SetBatches(s *Service, size, first, step int) {
	s.batchSize, s.firstBatches, s.stepBatches = size, first, step
}

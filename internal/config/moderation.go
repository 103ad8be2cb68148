package config

// ModerationRecordAge is how long notices, statements of reasons and
// complaints are kept by default after they were received or decided:
// more than the six months in which an author may complain (Digital
// Services Act, Art. 20). --retain-moderation sets it.
const ModerationRecordAge = 190 * Day

// MinModerationRecordAge is the least --retain-moderation: a statement
// must outlive the six months in which its author may complain.
const MinModerationRecordAge = 184 * Day

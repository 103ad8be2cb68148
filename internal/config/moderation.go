package config

// ModerationRecordAge is how long notices, objections and statements of
// reasons are kept after they were received or decided: more than the six
// months in which an author may object (Digital Services Act, Art. 20).
const ModerationRecordAge = 190 * Day

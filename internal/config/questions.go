package config

// ComplaintAge is how long a citizen's question marked as a complaint is
// kept unless its organisation chose otherwise (the municipal selection
// list keeps a complaint five years).
const ComplaintAge = 5 * 365 * Day

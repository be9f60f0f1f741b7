package fabbisogni

import "time"

// Job run statuses.
const (
	JobOK     = "ok"
	JobFailed = "failed"
	JobPanic  = "panic"
)

// JobRun is the history of one run of a scheduled job, for operators.
type JobRun struct {
	ID         string    `json:"id"`
	Job        string    `json:"job"` // "crawl jobboard-demo", "forecast"
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Status     string    `json:"status"` // JobOK, JobFailed, JobPanic
	Rows       int64     `json:"rows"`   // records the run produced (vacancies, forecasts, ...)
	Error      string    `json:"error,omitempty"`
	Host       string    `json:"host,omitempty"`
}

package fabbisogni

import (
	"errors"
	"fmt"
)

// Error codes. A code says what the caller can do about an error: EInvalid
// and ENotFound are permanent for the record (it goes to the dead-letter
// topic), EUnavailable is retryable (back off and try again).
const (
	EInvalid     = "invalid"     // the record is malformed or fails validation
	ENotFound    = "not_found"   // a referenced thing does not exist
	EUnavailable = "unavailable" // a server or resource is unreachable for now
	EInternal    = "internal"    // a bug
)

// Error is a domain error with a code.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal for
// other non-nil errors, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// IsPermanent reports whether err condemns the record that caused it: retrying
// would fail the same way, so it belongs in the dead-letter topic.
func IsPermanent(err error) bool {
	c := ErrorCode(err)
	return c == EInvalid || c == ENotFound
}

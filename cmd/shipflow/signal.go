package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

// signalContext is signal.NotifyContext whose cancellation cause names the
// signal: context.Cause(ctx) is a *signalError with a Signal method. A verb
// can then forward that same signal to what it runs (`shipflow test`
// forwards it to the test command's process group) and exit 128+N.
// NotifyContext's cause is an unexported string.
func signalContext(parent context.Context, sigs ...os.Signal) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	go func() {
		select {
		case s := <-ch:
			cancel(&signalError{s})
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		cancel(nil)
	}
}

// signalError is the cause of a context that a signal cancelled.
type signalError struct{ sig os.Signal }

// Error reads as NotifyContext's cause does.
func (e *signalError) Error() string { return e.sig.String() + " signal received" }

// Signal is the signal that arrived.
func (e *signalError) Signal() os.Signal { return e.sig }

// interruptedCode is the exit code of a verb that ctx interrupted: 128+N
// for signal N, as a shell reports a process a signal ended (130 for
// SIGINT, 143 for SIGTERM); exitFailure when ctx ended otherwise.
func interruptedCode(ctx context.Context) int {
	var se *signalError
	if errors.As(context.Cause(ctx), &se) {
		if n, ok := se.sig.(syscall.Signal); ok {
			return 128 + int(n)
		}
	}
	return exitFailure
}

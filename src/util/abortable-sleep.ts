// Waiting that a stop can cut short: long-running loops (watch, the queue intake, remediation run) sleep
// between rounds and must wake at once on SIGTERM.

/** Resolves after `ms`, or at once when the signal aborts (never rejects; the listener is removed either way). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

// Lets request handlers wake the in-process sender as soon as a job was queued, instead of its next poll.
let listener: (() => void) | null = null;

export function onSenderWake(fn: (() => void) | null) {
  listener = fn;
}

export function wakeSender() {
  listener?.();
}

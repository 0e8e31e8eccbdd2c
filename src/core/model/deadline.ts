import { ModelError } from "./backend";

export interface RequestDeadline {
  /** The longest one request may take in all, from its start to its last byte. */
  timeoutMs: number;
  /** How the user sets it, for the message: `--timeout`, or the editor's setting. */
  setting: string;
}

/** Fires once the request has run for its whole allowance; its reason names the setting. */
export function startDeadline(deadline: RequestDeadline | undefined, onExpired: (error: ModelError) => void): () => void {
  if (!deadline) return () => {};
  const seconds = Math.round(deadline.timeoutMs / 1000);
  const timer = setTimeout(
    () =>
      onExpired(
        new ModelError(
          `The model gave no complete reply within ${seconds.toLocaleString("en-US")} s, the longest a request may take (${deadline.setting}); it was stopped and nothing was written.`,
          "hung",
        ),
      ),
    deadline.timeoutMs,
  );
  return () => clearTimeout(timer);
}

/** The trainer itself would refuse this row or configuration: the message gives its reason (`render` exits 1 with it). */
export class TrainerRefusedError extends Error {}

/** What the trainer would do here is not reproduced (yet): the view says so rather than show something else. */
export class ViewUnavailableError extends Error {}

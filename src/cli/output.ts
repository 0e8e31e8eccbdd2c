/**
 * Standard output for the CLI. `lint big.jsonl | head` closes the pipe early: writes then stop
 * (no EPIPE crash) and the command still ends with the exit status of its findings.
 */
let closed = false;

export function watchStdout(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") closed = true;
    else throw error;
  });
}

/** Whether the reader of standard output has gone. */
export const stdoutClosed = () => closed;

/** Writes to standard output, waiting when the pipe is full so memory stays bounded. */
export async function write(text: string): Promise<void> {
  if (closed) return;
  if (!process.stdout.write(text))
    await new Promise<void>((resolve) => {
      const done = () => {
        process.stdout.off("drain", done);
        process.stdout.off("error", done);
        resolve();
      };
      process.stdout.once("drain", done);
      process.stdout.once("error", done);
    });
}

/**
 * Dataset text and messages printed to a terminal: control characters (ESC sequences could
 * recolour or retitle it) become visible escapes; tabs and line breaks are kept.
 */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Collects small writes into 64 KB ones: millions of findings are millions of lines. */
export class BufferedOutput {
  private pending = "";

  async push(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    const text = this.pending;
    this.pending = "";
    if (text) await write(text);
  }
}

import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import { judgedHashes } from "../core/batch/critiqueRows";
import { UsageError } from "./usageError";

/**
 * A results file (`--out`): JSON Lines, appended one complete line per result, so an
 * interrupted run leaves only complete lines. A line torn by a kill (no final line break) is cut
 * off when the file is opened again; the hashes of the complete lines are the rows already judged.
 */
export class ResultsFile {
  private constructor(
    private readonly fd: number,
    readonly judged: Set<string>,
  ) {}

  static open(path: string): ResultsFile {
    let fd: number;
    try {
      fd = openSync(path, "a+");
    } catch (error) {
      throw new UsageError(`--out: cannot open ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const size = fstatSync(fd).size;
    let text = "";
    if (size > 0) {
      text = readFileSync(fd, "utf8");
      const complete = text.lastIndexOf("\n") + 1;
      if (complete < text.length) {
        ftruncateSync(fd, Buffer.byteLength(text.slice(0, complete)));
        text = text.slice(0, complete);
      }
    }
    return new ResultsFile(fd, judgedHashes(text.split("\n")));
  }

  /** One line, written whole before the next result is taken. */
  append(line: string): void {
    const bytes = Buffer.from(`${line}\n`, "utf8");
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
  }

  close(): void {
    closeSync(this.fd);
  }
}

// Messages from the disk validation worker (out/validate-worker.js, a worker thread): the file
// is read and checked there, so a 1 GB dataset never holds up the extension host.
import type { FormatId } from "../core/formats/formatLabels";
import type { Diagnostic } from "../core/lint/diagnostic";
import type { ValidationOptions } from "../core/validate/analyzeRow";

export interface DiskValidationJob {
  file: string;
  options: ValidationOptions;
  /** Diagnostics kept for the report; the rest are counted. */
  keep: number;
}

export type DiskValidationMessage =
  /** `lines`: the lines read, or for a JSON array the elements (its rows). */
  | { type: "progress"; bytesRead: number; lines: number; problems: number }
  | {
      type: "done";
      format?: FormatId;
      lines: number;
      bytesRead: number;
      problems: number;
      kept: Diagnostic[];
      cancelled: boolean;
      array?: boolean;
      /** Threads that validated it: every core's for a large file, as `lint` does. */
      threads?: number;
      /** One JSON object over many lines: its syntax checked, unless it was too large to read. */
      document?: { read: boolean };
    }
  | { type: "error"; message: string };

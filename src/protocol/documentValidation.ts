// Messages between the extension host and the document validation worker (out/document-worker.js,
// a worker thread). The worker owns every open dataset's DocumentValidator: opening a 300,000-row
// file, re-checking edits and building diagnostics all happen there, so the host only forwards
// edits and publishes what comes back. Messages on one port arrive in order, so a query sent after
// an edit always sees it.
import type { FormatId } from "../core/formats/formatLabels";
import type { Diagnostic } from "../core/lint/diagnostic";
import type { ValidationOptions } from "../core/validate/analyzeRow";
import type { NearDuplicateMembership, Summary } from "../core/validate/documentValidator";

export interface EditChange {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  text: string;
}

/**
 * Every document message carries the generation of the text it applies to: after a drift the
 * host reopens the document with a new generation, and edits of the old one are dropped.
 */
export type DocumentNotice =
  | { type: "open"; key: string; generation: number; text: string; options: ValidationOptions }
  | { type: "options"; key: string; generation: number; options: ValidationOptions }
  /**
   * One change event's changes, then the document's line count and the text of the lines they
   * touched, as the live document had them: the worker checks its copy against them.
   */
  | { type: "edit"; key: string; generation: number; changes: EditChange[]; lineCount: number; expected: { line: number; text: string }[] }
  | { type: "fileFindings"; key: string; generation: number; findings: Diagnostic[] }
  | { type: "close"; key: string };

export type DocumentQuery =
  /** What the host publishes: the first `limit` diagnostics and the summary. */
  | { type: "published"; key: string; limit: number }
  | { type: "all"; key: string }
  /** Diagnostics of `lines`, with the fixable count of each rule among them, and the validator's text of every line their fixes edit. */
  | { type: "lines"; key: string; lines: number[] }
  | { type: "fixable"; key: string; rule: string }
  | { type: "lineText"; key: string; line: number }
  /** Tests: drop part of a line from the validator's copy, as a lost edit once did. */
  | { type: "loseEdit"; key: string; line: number; start: number; end: number }
  /** A JSON document's array of rows, validated whole (undefined findings: no dataset in it). */
  | { type: "array"; text: string; options: ValidationOptions; skipPlainSyntax: boolean };

export interface LinesResult {
  diagnostics: Diagnostic[];
  /** The lines' places in groups of near duplicates, by line: only a group's first repeating row has a diagnostic. */
  nearDuplicates: Record<number, NearDuplicateMembership>;
  fixableCounts: Record<string, number>;
  lineTexts: Record<number, string | undefined>;
}

export interface QueryResults {
  published: { diagnostics: Diagnostic[]; summary: Summary };
  all: { diagnostics: Diagnostic[]; summary: Summary };
  lines: LinesResult;
  fixable: { diagnostics: Diagnostic[]; lineTexts: Record<number, string | undefined> };
  lineText: string | undefined;
  loseEdit: boolean;
  array: { findings?: Diagnostic[] };
}

export type WorkerRequest = DocumentNotice | { type: "query"; id: number; query: DocumentQuery };

export type WorkerReply =
  | { type: "reply"; id: number; result?: unknown; error?: string }
  /** The worker's copy no longer matches the document (or an edit failed): the host reopens it. */
  | { type: "drift"; key: string; generation: number; problem: string }
  /** Validating the document failed as a whole: the host shows `message` on it. */
  | { type: "failed"; key: string; generation: number; message: string }
  /** Its first validation is done (the host logs how long it took). */
  | { type: "opened"; key: string; generation: number; lines: number; ms: number; format?: FormatId };

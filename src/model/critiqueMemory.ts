import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Critique } from "../core/generation/critique";

/** A critique file is rewritten without its superseded lines when they are more than this share. */
const compactionShare = 0.5;

/**
 * Critiques kept by row hash, per dataset, in the extension's storage for this workspace (never in
 * the dataset): one JSON Lines file per dataset, appended as results arrive, read again after a
 * reload. The latest critique of a hash wins.
 */
export class CritiqueMemory {
  private readonly loaded = new Map<string, Map<string, Critique>>();

  constructor(private readonly folder: string) {}

  private fileFor(uri: string): string {
    return join(this.folder, `${createHash("sha256").update(uri).digest("hex").slice(0, 32)}.jsonl`);
  }

  /** The critiques of one dataset by row hash (empty when it has none). */
  of(uri: string): Map<string, Critique> {
    let critiques = this.loaded.get(uri);
    if (critiques) return critiques;
    critiques = new Map();
    let lines: string[] = [];
    try {
      lines = readFileSync(this.fileFor(uri), "utf8").split("\n");
    } catch {
      // none yet
    }
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as { hash?: unknown; critique?: Critique };
        if (typeof entry.hash === "string" && entry.critique && Number.isInteger(entry.critique.score)) critiques.set(entry.hash, entry.critique);
      } catch {
        // a torn or foreign line: that row is critiqued again
      }
    }
    this.loaded.set(uri, critiques);
    if (lines.length > 16 && critiques.size < lines.length * compactionShare) this.rewrite(uri, critiques);
    return critiques;
  }

  has(uri: string): boolean {
    return this.of(uri).size > 0;
  }

  remember(uri: string, hash: string, critique: Critique): void {
    this.of(uri).set(hash, critique);
    try {
      mkdirSync(this.folder, { recursive: true });
      appendFileSync(this.fileFor(uri), `${JSON.stringify({ hash, critique })}\n`);
    } catch {
      // storage unwritable: the critique still shows for this session
    }
  }

  private rewrite(uri: string, critiques: Map<string, Critique>): void {
    try {
      writeFileSync(this.fileFor(uri), [...critiques].map(([hash, critique]) => `${JSON.stringify({ hash, critique })}\n`).join(""));
    } catch {
      // left as it is: read the same way next time
    }
  }
}

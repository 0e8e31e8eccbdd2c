import { createHash } from "node:crypto";

/**
 * A row's identity for resumable runs: the SHA-256 of its JSON text without the line's ending
 * or surrounding blanks. An edited row gets a new hash and is judged again; a row moved to
 * another line keeps its result.
 */
export function rowHash(text: string): string {
  return createHash("sha256").update(text.trim(), "utf8").digest("hex").slice(0, 32);
}

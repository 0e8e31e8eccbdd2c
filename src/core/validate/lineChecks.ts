import type { Diagnostic } from "../lint/diagnostic";
import { finding } from "../formats/rowContext";

/** Rows past this are reported as too long, not parsed, in the CLI and the editor alike (a 32K-token row is about 130 KB). */
export const maxRowBytes = 16 * 1024 * 1024;

const replacementCharacter = "\uFFFD";

/** Bytes of `text` in UTF-8, counted without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** A line longer than `maxRowBytes` in the editor (the CLI's reader measures bytes as it reads). */
export function isTooLong(text: string): number | undefined {
  if (text.length * 3 <= maxRowBytes) return undefined;
  const bytes = text.length > maxRowBytes ? text.length : utf8Length(text);
  return bytes > maxRowBytes ? bytes : undefined;
}

export function tooLongFinding(line: number, byteLength: number): Diagnostic {
  return finding(
    "line-too-long",
    { line, column: 0, endLine: line, endColumn: 1 },
    `Line of ${byteLength.toLocaleString("en-US")} bytes is over the ${maxRowBytes / 1024 / 1024} MB a row may have; split or shorten the row.`,
  );
}

/**
 * Bytes that are not UTF-8 reach the editor (VS Code's decoder) and the CLI (TextDecoder) as
 * U+FFFD; a U+FFFD saved earlier is the same loss. Both report either, so they agree.
 */
export function encodingFinding(line: number, text: string, invalidBytes: boolean): Diagnostic | undefined {
  const at = text.indexOf(replacementCharacter);
  if (!invalidBytes && at === -1) return undefined;
  const span = at === -1 ? { line, column: 0, endLine: line, endColumn: Math.max(1, text.length) } : { line, column: at, endLine: line, endColumn: at + 1 };
  return finding(
    "invalid-utf8",
    span,
    "Line holds bytes that are not UTF-8 (shown as \uFFFD), or U+FFFD characters left by an earlier bad decode; re-encode the source as UTF-8.",
  );
}

/** One finding, at the first line that ends in a lone CR: a file has them everywhere or by accident. */
export function loneCrFinding(line: number): Diagnostic {
  return finding(
    "line-ending",
    { line, column: 0, endLine: line, endColumn: 1 },
    "This line (the file's first such) ends with a lone carriage return (CR) on disk: trainers split rows at LF only and read it with the next line. Save the file with LF or CRLF line endings.",
  );
}

export function utf16Finding(encoding: "utf-16le" | "utf-16be"): Diagnostic {
  return finding(
    "invalid-utf8",
    { line: 0, column: 0, endLine: 0, endColumn: 1 },
    `This file is ${encoding.toUpperCase()}, not UTF-8: trainers read JSON Lines as UTF-8 and fail on it. Save it as UTF-8 (Save with Encoding).`,
  );
}

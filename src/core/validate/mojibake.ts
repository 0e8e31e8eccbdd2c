/**
 * Finds text that is UTF-8 decoded in a legacy code page (one seed dataset has Korean read as
 * Greek Windows-1253), by encoding it back to that code page's bytes and decoding them as UTF-8.
 * No maintained library does this in JavaScript (ftfy is Python), hence this small module.
 */
export interface Mojibake {
  codePage: string;
  /** The repaired text, when the bytes survived intact; undefined when some were lost. */
  repaired?: string;
  /** A short piece of what the text really says. */
  sample: string;
}

const codePages = ["windows-1252", "windows-1253", "windows-1251", "iso-8859-7"];
const suspicious = /[\u0080-\u00ff\u0370-\u03ff\u0400-\u04ff\u0152-\u0192\u02c6-\u02dc\u2013-\u203a\u20ac\u2122]/;
const allSuspicious = new RegExp(suspicious.source, "g");
const realScript = /[\uac00-\ud7a3\u3040-\u30ff\u4e00-\u9fff]/;
const lettersOutsideLatin1 = /[\u0100-\u024f\uac00-\ud7a3\u3040-\u30ff\u4e00-\u9fff\u0400-\u04ff\u0370-\u03ff]/g;

const reverseTables = new Map<string, Map<string, number>>();

/**
 * Windows-1252's 0x80-0x9F row. Node 20's TextDecoder decodes "windows-1252" as ISO-8859-1
 * (C1 controls there), so this row is spelled out rather than taken from the decoder.
 */
const windows1252High =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

function reverseTable(codePage: string): Map<string, number> {
  let table = reverseTables.get(codePage);
  if (!table) {
    table = new Map();
    const decoder = new TextDecoder(codePage);
    for (let byte = 0x80; byte <= 0xff; byte++) {
      const char = codePage === "windows-1252" && byte < 0xa0 ? windows1252High[byte - 0x80] : decoder.decode(Uint8Array.of(byte));
      if (char !== "\ufffd" && !table.has(char)) table.set(char, byte);
    }
    reverseTables.set(codePage, table);
  }
  return table;
}

function encode(text: string, codePage: string): { bytes: Uint8Array; lost: number } {
  const table = reverseTable(codePage);
  const bytes: number[] = [];
  let lost = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const byte = table.get(char);
      if (byte === undefined) lost++;
      else bytes.push(byte);
    }
  }
  return { bytes: Uint8Array.from(bytes), lost };
}

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

export function detectMojibake(text: string): Mojibake | undefined {
  if (!suspicious.test(text)) return undefined;
  // Real Hangul or CJK outnumbering the suspicious characters: the text is what it says.
  const native = text.match(/[\uac00-\ud7a3\u3040-\u30ff\u4e00-\u9fff]/g)?.length ?? 0;
  const odd = text.match(allSuspicious)?.length ?? 0;
  if (native >= odd) return undefined;
  for (const codePage of codePages) {
    const { bytes, lost } = encode(text, codePage);
    if (lost === 0) {
      const decoded = tryStrict(bytes);
      // Valid UTF-8 that reads as fewer, non-Latin-1 characters: the text was double-decoded.
      if (decoded !== undefined && decoded !== text && decoded.length < text.length && /[^\x00-\x7f]/.test(decoded)) {
        return { codePage, repaired: decoded, sample: sampleOf(decoded) };
      }
    }
    // Bytes were dropped on the way (the code page cannot show them, or a copy lost its control
    // characters, as in the seed model card): the salvaged UTF-8 still holds whole Hangul, kana
    // or CJK characters, which text really written in these code pages practically never forms.
    const decoded = lenient.decode(bytes);
    const letters = decoded.match(lettersOutsideLatin1)?.length ?? 0;
    const replaced = decoded.split("\ufffd").length - 1;
    if (letters >= 3 && letters * 8 >= replaced && realScript.test(decoded)) return { codePage, sample: sampleOf(decoded.replace(/\ufffd+/g, "…")) };
  }
  return undefined;
}

function tryStrict(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

function sampleOf(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 40 ? `${flat.slice(0, 40)}…` : flat;
}

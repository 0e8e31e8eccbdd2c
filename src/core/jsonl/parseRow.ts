import { getNodeValue, Node, ParseError, parseTree, printParseErrorCode } from "jsonc-parser";

export type { Node as JsonNode } from "jsonc-parser";

export interface RowSyntaxError {
  /** Offsets are in UTF-16 code units from the start of the row text (after any BOM). */
  start: number;
  end: number;
  message: string;
  code: string;
}

export type ParsedRow = { kind: "blank" } | { kind: "value"; value: unknown; tree: Node | undefined; errors: RowSyntaxError[] };

const BOM = "\uFEFF";

/** Removes a UTF-8 byte order mark, which editors and `JSON.parse` disagree about. */
export function stripBom(text: string): { text: string; bomLength: number } {
  return text.startsWith(BOM) ? { text: text.slice(1), bomLength: 1 } : { text, bomLength: 0 };
}

const messages: Record<string, string> = {
  InvalidSymbol: "Unexpected character",
  InvalidNumberFormat: "Invalid number",
  PropertyNameExpected: "Property name expected (a trailing comma?)",
  ValueExpected: "Value expected (a trailing comma?)",
  ColonExpected: "Colon expected",
  CommaExpected: "Comma expected",
  CloseBraceExpected: "Closing brace expected",
  CloseBracketExpected: "Closing bracket expected",
  EndOfFileExpected: "Only one JSON value may stand on a line",
  InvalidCommentToken: "Comments are not allowed in JSON",
  UnexpectedEndOfComment: "Comments are not allowed in JSON",
  UnexpectedEndOfString: "Unterminated string",
  UnexpectedEndOfNumber: "Unterminated number",
  InvalidUnicode: "Invalid unicode escape",
  InvalidEscapeCharacter: "Invalid escape character",
  InvalidCharacter: "Invalid character in string (raw control character)",
};

/**
 * Parses one JSONL row with jsonc-parser in strict JSON mode, so every syntax error
 * comes with an exact range instead of JSON.parse's single message.
 */
export function parseRow(line: string): ParsedRow {
  if (line.trim() === "") return { kind: "blank" };
  const errors: ParseError[] = [];
  const tree = parseTree(line, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const value: unknown = tree ? getNodeValue(tree) : undefined;
  // jsonc-parser may report several errors at one offset (a trailing comma gives two); keep the first.
  const firstAtOffset = errors.filter((e, i) => errors.findIndex((other) => other.offset === e.offset) === i);
  return {
    kind: "value",
    value,
    tree,
    errors: firstAtOffset.map((e) => {
      const code = printParseErrorCode(e.error);
      return {
        start: e.offset,
        end: Math.max(e.offset + e.length, e.offset + 1),
        message: messages[code] ?? code,
        code,
      };
    }),
  };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Python's truthiness of a JSON value, which the trainers' `if` tests apply (an empty list or mapping is false). */
export function pythonTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object" && value !== null) return Object.keys(value).length > 0;
  return Boolean(value);
}

import { JSONPath, modify, parseTree } from "jsonc-parser";
import type { FormatId } from "./formatLabels";
import type { ChatLayout, RoleAliases } from "./layout";
import type { FieldMapping } from "./instructionTypes";
import type { JsonNode } from "../jsonl/parseRow";
import type { Diagnostic, Fix, Span } from "../lint/diagnostic";
import { ruleCatalog, RuleId } from "../rules/catalog";

/**
 * One parsed row under validation. Rules read the value; the syntax tree that gives exact
 * ranges is built only when a rule reports something, so clean rows cost one JSON.parse.
 */
export class RowContext {
  private treeCache: JsonNode | undefined;
  /** Property values by name, per object node: jsonc-parser's findNodeAtLocation scans an object's properties on every call, quadratic on a row of 40,000 keys. */
  private properties: Map<JsonNode, Map<string, JsonNode>> | undefined;

  constructor(
    readonly line: number,
    /** Column where the row text starts in its line (1 after a BOM on the first line). */
    readonly base: number,
    readonly raw: string,
    readonly row: Record<string, unknown>,
    readonly format: FormatId,
    readonly layout?: ChatLayout,
    readonly roles?: RoleAliases,
    /** The Alpaca-family type and text key the row is read with. */
    readonly mapping: Omit<FieldMapping, "layout" | "roles"> = {},
  ) {}

  get tree(): JsonNode {
    return (this.treeCache ??= parseTree(this.raw)!);
  }

  nodeAt(path: JSONPath): JsonNode | undefined {
    let node: JsonNode | undefined = this.tree;
    for (const segment of path) {
      if (!node) return undefined;
      if (typeof segment === "number") node = node.type === "array" ? node.children?.[segment] : undefined;
      else node = node.type === "object" ? this.propertiesOf(node).get(segment) : undefined;
    }
    return node;
  }

  private propertiesOf(object: JsonNode): Map<string, JsonNode> {
    this.properties ??= new Map();
    let byName = this.properties.get(object);
    if (!byName) {
      byName = new Map();
      // A repeated name keeps its last value, the one JSON.parse (and so every trainer) reads.
      for (const property of object.children ?? []) {
        const [name, value] = property.children ?? [];
        if (name && value) byName.set(String(name.value), value);
      }
      this.properties.set(object, byName);
    }
    return byName;
  }

  /** The span of the value at `path`, or of the row when it cannot be found. */
  valueSpan(path: JSONPath): Span {
    return this.spanOf(this.nodeAt(path) ?? this.tree);
  }

  /** The span of the key of the property at `path`. */
  keySpan(path: JSONPath): Span {
    const key = this.nodeAt(path)?.parent?.children?.[0];
    return this.spanOf(key ?? this.tree);
  }

  /** The opening brace of the object at `path`, where a missing property is reported. */
  braceSpan(path: JSONPath): Span {
    const node = this.nodeAt(path) ?? this.tree;
    return this.spanOf({ offset: node.offset, length: 1 });
  }

  /** A span inside the string at `path`, from offsets into its decoded value (whole string when escapes make them differ). */
  spanInString(path: JSONPath, start: number, end: number): Span {
    const node = this.nodeAt(path);
    if (!node) return this.spanOf(this.tree);
    const literal = this.raw.slice(node.offset + 1, node.offset + node.length - 1);
    if (literal === node.value) return this.spanOf({ offset: node.offset + 1 + start, length: end - start });
    return this.spanOf(node);
  }

  spanOf(node: { offset: number; length: number }): Span {
    return { line: this.line, column: this.base + node.offset, endLine: this.line, endColumn: this.base + node.offset + node.length };
  }

  /** A fix that deletes the property at `path` with its comma (jsonc-parser's own edit). */
  removeProperty(path: JSONPath, title: string): Fix {
    return { title, edits: modify(this.raw, path, undefined, {}).map((e) => ({ ...this.spanOf(e), newText: e.content })) };
  }

  /** A fix that replaces the value at `path` with `value`. */
  replaceValue(path: JSONPath, value: unknown, title: string): Fix {
    return { title, edits: [{ ...this.valueSpan(path), newText: JSON.stringify(value) }] };
  }
}

export function finding(rule: RuleId, span: Span, message: string, fix?: Fix): Diagnostic {
  return { ...span, rule, severity: ruleCatalog[rule].severity, message, ...(fix ? { fix } : {}) };
}

/** The value at a path of plain JSON data. */
export function valueAt(value: unknown, path: JSONPath): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

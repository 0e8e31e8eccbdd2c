import { findNodeAtLocation, JSONPath } from "jsonc-parser";
import type { FormatId } from "../formats/detect";
import type { ChatLayout, RoleAliases } from "../formats/layout";
import type { JsonNode } from "../jsonl/parseRow";
import type { Diagnostic, Fix, Span } from "../lint/diagnostic";
import { ruleCatalog, RuleId } from "../rules/catalog";

/** One parsed row under validation, with what is known of its file. */
export interface RowContext {
  line: number;
  /** Column where the row text starts in its line (1 after a BOM on the first line). */
  base: number;
  tree: JsonNode;
  row: Record<string, unknown>;
  format: FormatId;
  layout?: ChatLayout;
  roles?: RoleAliases;
}

export function nodeAt(ctx: RowContext, path: JSONPath): JsonNode | undefined {
  return findNodeAtLocation(ctx.tree, path);
}

/** The key node of the property at `path` (its last element is the key). */
export function keyNodeAt(ctx: RowContext, path: JSONPath): JsonNode | undefined {
  return nodeAt(ctx, path)?.parent?.children?.[0];
}

export function spanOf(ctx: RowContext, node: { offset: number; length: number }): Span {
  return { line: ctx.line, column: ctx.base + node.offset, endLine: ctx.line, endColumn: ctx.base + node.offset + node.length };
}

/** A span inside a JSON string node, from offsets into its decoded value (exact when no escapes precede). */
export function spanInString(ctx: RowContext, node: JsonNode, raw: string, start: number, end: number): Span {
  const literal = raw.slice(node.offset + 1, node.offset + node.length - 1);
  const decoded = node.value as string;
  if (literal === decoded) return spanOf(ctx, { offset: node.offset + 1 + start, length: end - start });
  return spanOf(ctx, node);
}

export function finding(rule: RuleId, span: Span, message: string, fix?: Fix): Diagnostic {
  return { ...span, rule, severity: ruleCatalog[rule].severity, message, ...(fix ? { fix } : {}) };
}

export function replaceNode(ctx: RowContext, node: JsonNode, value: unknown, title: string): Fix {
  return { title, edits: [{ ...spanOf(ctx, node), newText: JSON.stringify(value) }] };
}

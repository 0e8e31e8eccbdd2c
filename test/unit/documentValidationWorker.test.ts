import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Worker } from "node:worker_threads";
import { DocumentValidator } from "../../src/core/validate/documentValidator";
import type { DocumentNotice, DocumentQuery, QueryResults, WorkerReply } from "../../src/protocol/documentValidation";
import { repoRoot } from "../launch/paths";

const script = join(repoRoot, "out", "document-worker.js");
const row = (instruction: string, output = "An answer long enough to pass.") => JSON.stringify({ instruction, input: "", output });

/** The protocol's host side, as the extension speaks it, without the vscode API. */
class Client {
  readonly worker = new Worker(script);
  readonly notes: WorkerReply[] = [];
  private readonly pending = new Map<number, (reply: WorkerReply & { type: "reply" }) => void>();
  private id = 0;

  constructor() {
    this.worker.on("message", (reply: WorkerReply) => (reply.type === "reply" ? this.pending.get(reply.id)?.(reply) : this.notes.push(reply)));
  }

  notify(notice: DocumentNotice): void {
    this.worker.postMessage(notice);
  }

  query<Q extends DocumentQuery>(query: Q): Promise<QueryResults[Q["type"]] | undefined> {
    const id = ++this.id;
    this.worker.postMessage({ type: "query", id, query });
    return new Promise((resolve, reject) =>
      this.pending.set(id, (reply) => (reply.error ? reject(new Error(reply.error)) : resolve(reply.result as QueryResults[Q["type"]]))),
    );
  }
}

describe("the document validation worker", () => {
  const client = new Client();
  after(() => client.worker.terminate());
  const text = [row("a"), row("b"), row("a"), '{"instruction": "c", "outptu": "x"}', ""].join("\n");

  it("validates an opened document as DocumentValidator does, and edits sent before a query are applied before it", async () => {
    client.notify({ type: "open", key: "k1", generation: 1, text, options: {} });
    const local = new DocumentValidator();
    local.setText(text);
    const published = await client.query({ type: "published", key: "k1", limit: 1000 });
    assert.deepEqual(published, { diagnostics: local.diagnostics(1000), summary: local.summary() });
    assert.ok(client.notes.some((n) => n.type === "opened" && n.key === "k1" && n.lines === 5));

    // Delete the duplicate row (line 2): the edit and the check of the line it leaves.
    client.notify({
      type: "edit",
      key: "k1",
      generation: 1,
      changes: [{ startLine: 2, startColumn: 0, endLine: 3, endColumn: 0, text: "" }],
      lineCount: 4,
      expected: [{ line: 2, text: '{"instruction": "c", "outptu": "x"}' }],
    });
    local.applyEdit(2, 0, 3, 0, "");
    const after = await client.query({ type: "published", key: "k1", limit: 1000 });
    assert.deepEqual(after?.diagnostics, local.diagnostics(1000));
    assert.equal(
      after?.diagnostics.some((d) => d.rule === "duplicate-row"),
      false,
    );
  });

  it("answers the lines of a quick fix with the validator's text of the lines it edits", async () => {
    const lines = await client.query({ type: "lines", key: "k1", lines: [2] });
    const rename = lines?.diagnostics.find((d) => d.fix?.title.includes("output"));
    assert.ok(rename, "the misspelt key comes with a rename");
    assert.deepEqual(lines?.lineTexts, { 2: '{"instruction": "c", "outptu": "x"}' });
  });

  it("reports a drift when the document's line differs from its copy, then drops edits until reopened", async () => {
    client.notify({
      type: "edit",
      key: "k1",
      generation: 1,
      changes: [{ startLine: 0, startColumn: 0, endLine: 0, endColumn: 0, text: " " }],
      lineCount: 4,
      expected: [{ line: 0, text: "something else" }],
    });
    assert.equal(await client.query({ type: "lineText", key: "k1", line: 0 }), undefined);
    assert.ok(client.notes.some((n) => n.type === "drift" && n.key === "k1" && n.problem === "line 1 differs from the document"));
    client.notify({
      type: "edit",
      key: "k1",
      generation: 1,
      changes: [{ startLine: 0, startColumn: 0, endLine: 0, endColumn: 0, text: "x" }],
      lineCount: 4,
      expected: [],
    });
    client.notify({ type: "open", key: "k1", generation: 2, text: "", options: {} });
    client.notify({
      type: "edit",
      key: "k1",
      generation: 1,
      changes: [{ startLine: 0, startColumn: 0, endLine: 0, endColumn: 0, text: "stale" }],
      lineCount: 1,
      expected: [],
    });
    assert.equal(await client.query({ type: "lineText", key: "k1", line: 0 }), "");
  });

  it("treats an edit outside its copy as a drift, not a crash", async () => {
    client.notify({ type: "open", key: "k2", generation: 3, text: row("a"), options: {} });
    client.notify({
      type: "edit",
      key: "k2",
      generation: 3,
      changes: [{ startLine: 5, startColumn: 0, endLine: 5, endColumn: 0, text: "x" }],
      lineCount: 6,
      expected: [],
    });
    assert.equal(await client.query({ type: "lineText", key: "k2", line: 0 }), undefined);
    assert.ok(client.notes.some((n) => n.type === "drift" && n.key === "k2" && /outside the validator's 1 lines/.test(n.problem)));
  });

  it("validates a JSON array of rows, and says when an array holds no dataset", async () => {
    const array = await client.query({ type: "array", text: `[\n${row("a")},\n${row("a")},\n]`, options: {}, skipPlainSyntax: true });
    assert.deepEqual(
      array?.findings?.map((d) => [d.rule, d.line]),
      [
        ["duplicate-row", 2],
        ["syntax", 2],
      ],
    );
    assert.deepEqual(await client.query({ type: "array", text: "[1, 2, 3]", options: {}, skipPlainSyntax: true }), {});
  });
});

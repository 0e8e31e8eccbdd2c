// Runs in its own Node process: chat templates are rendered and rows tokenized here, so a
// template that loops or explodes, or a slow tokenizer load, never blocks the editor.
import { statSync } from "node:fs";
import { parseRow } from "../core/jsonl/parseRow";
import { LoadedTokenizer, loadModelTokenizer } from "../core/tokenizers/loadTokenizer";
import { previewConfigured } from "../core/training/rowPreview";
import type { PreviewRequest, PreviewResponse } from "../protocol/previewWorker";

const tokenizers = new Map<string, { mtimeMs: number; tokenizer: Promise<LoadedTokenizer> }>();

/** Loads a tokenizer once and again only when its file changes. */
async function tokenizerFor(path: string): Promise<{ tokenizer: LoadedTokenizer; loadMs?: number }> {
  const mtimeMs = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  const cached = tokenizers.get(path);
  if (cached && cached.mtimeMs === mtimeMs) return { tokenizer: await cached.tokenizer };
  if (cached) void cached.tokenizer.then((t) => t.dispose?.(), () => undefined);
  const started = performance.now();
  const tokenizer = loadModelTokenizer(path);
  tokenizers.set(path, { mtimeMs, tokenizer });
  try {
    return { tokenizer: await tokenizer, loadMs: performance.now() - started };
  } catch (error) {
    tokenizers.delete(path);
    throw error;
  }
}

async function preview(request: PreviewRequest): Promise<PreviewResponse> {
  const parsed = parseRow(request.rowText);
  if (parsed.kind === "blank" || parsed.errors.length > 0) return { id: request.id, type: "error", message: "The row is not valid JSON; fix it to see its rendering." };
  const loaded = request.tokenizerPath ? await tokenizerFor(request.tokenizerPath) : undefined;
  const result = previewConfigured(parsed.value, { tokenizer: loaded?.tokenizer, template: request.template, config: request.config }, request.settings);
  return { id: request.id, type: "preview", preview: result, tokenizerLoadMs: loaded?.loadMs };
}

const reply = (message: PreviewResponse) => process.send?.(message);

process.on("message", (request: PreviewRequest) => {
  preview(request).then(reply, (error: unknown) => reply({ id: request.id, type: "error", message: error instanceof Error ? error.message : String(error) }));
});

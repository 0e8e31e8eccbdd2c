// Runs in its own Node process: chat templates are rendered and rows tokenized here, so a
// template that loops or explodes, or a slow tokenizer load, never blocks the editor.
import { parseRow } from "../core/jsonl/parseRow";
import { previewConfigured } from "../core/training/rowPreview";
import { configuredIdsAndLabels } from "../core/trainers/idsAndLabels";
import { PreviewSetupError } from "../core/training/previewSetup";
import { cachedTokenizer } from "./tokenizerCache";
import type { PreviewRequest, PreviewResponse } from "../protocol/previewWorker";

async function preview(request: PreviewRequest): Promise<PreviewResponse> {
  const parsed = parseRow(request.rowText);
  if (parsed.kind === "blank" || parsed.errors.length > 0)
    return { id: request.id, type: "error", message: "The row is not valid JSON; fix it to see its rendering." };
  const loaded = request.tokenizerPath ? await cachedTokenizer(request.tokenizerPath) : undefined;
  const sources = {
    tokenizer: loaded?.tokenizer,
    template: request.template,
    config: request.config,
    configDir: request.configDir,
    axolotl: request.axolotl,
    trl: request.trl,
    datasetInfo: request.datasetInfo,
  };
  if (request.idsOnly) return { id: request.id, type: "ids", ...configuredIdsAndLabels(parsed.value, sources, request.settings) };
  const result = previewConfigured(parsed.value, sources, request.settings);
  return { id: request.id, type: "preview", preview: result, tokenizerLoadMs: loaded?.loadMs };
}

const reply = (message: PreviewResponse) => process.send?.(message);

process.on("message", (request: PreviewRequest) => {
  preview(request).then(reply, (error: unknown) =>
    reply({ id: request.id, type: "error", message: error instanceof Error ? error.message : String(error), setup: error instanceof PreviewSetupError }),
  );
});

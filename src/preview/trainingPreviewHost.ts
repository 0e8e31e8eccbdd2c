import { join } from "node:path";
import type { PreviewRequest, PreviewResponse } from "../protocol/previewWorker";
import { WorkerProcess, WorkerTimeoutError } from "../workers/workerProcess";
import type { RowPreview } from "../core/training/rowPreview";
import type { EditorPreviewSources } from "../settings/settings";

export type TrainingResult = { ok: true; preview: RowPreview; tokenizerLoadMs?: number } | { ok: false; message: string; superseded?: boolean };

interface Queued {
  rowText: string;
  sources: EditorPreviewSources;
  resolve: (result: TrainingResult) => void;
}

/** Tokenizer loads get this much time on top of the render's own limit. */
const loadAllowanceMs = 60_000;

/** Renders rows in the preview worker process, one request at a time, newest wins. */
export class TrainingPreviewHost {
  private readonly process: WorkerProcess<PreviewRequest, PreviewResponse>;
  private loadedTokenizer: string | undefined;
  private busy = false;
  /** The newest row asked for while another renders; older waiting ones are dropped. */
  private queued: Queued | undefined;

  constructor(outDir: string) {
    // A template that builds huge strings fails in the worker with an out-of-memory, not here.
    this.process = new WorkerProcess(join(outDir, "preview-worker.js"), "preview", 1024);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /**
   * Renders one row. Requests do not pile up behind a slow one: while a row renders, only the
   * newest request waits, and each one's time limit starts when it runs.
   */
  render(rowText: string, sources: EditorPreviewSources): Promise<TrainingResult> {
    return new Promise((resolve) => {
      this.queued?.resolve({ ok: false, message: "superseded by a newer row", superseded: true });
      this.queued = { rowText, sources, resolve };
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    while (this.queued) {
      const { rowText, sources, resolve } = this.queued;
      this.queued = undefined;
      resolve(await this.renderNow(rowText, sources));
    }
    this.busy = false;
  }

  private async renderNow(rowText: string, sources: EditorPreviewSources): Promise<TrainingResult> {
    const needsLoad = sources.tokenizerPath !== undefined && sources.tokenizerPath !== this.loadedTokenizer;
    try {
      const response = await this.process.request(
        {
          type: "preview",
          rowText,
          tokenizerPath: sources.tokenizerPath,
          template: sources.template,
          config: sources.config,
          configDir: sources.configDir,
          axolotl: sources.axolotl,
          trl: sources.trl,
          datasetInfo: sources.datasetInfo,
          settings: sources.settings,
        },
        sources.timeoutMs + (needsLoad ? loadAllowanceMs : 0),
      );
      if (response.type === "error") return { ok: false, message: response.message };
      if (response.type !== "preview") return { ok: false, message: "the preview worker answered with ids, not a view" };
      this.loadedTokenizer = sources.tokenizerPath;
      const preview = sources.restricted ? { ...response.preview, warnings: [sources.restricted, ...response.preview.warnings] } : response.preview;
      return { ok: true, preview, tokenizerLoadMs: response.tokenizerLoadMs };
    } catch (error) {
      this.loadedTokenizer = undefined;
      if (error instanceof WorkerTimeoutError) {
        return {
          ok: false,
          message: `The chat template or tokenizer took too long on this row and was ${error.message}; the editor was not affected. A template that loops or builds huge text does this.`,
        };
      }
      return { ok: false, message: (error as Error).message };
    }
  }

  /** The row's ids and labels as the panel has them, for comparing with the trainer's own. */
  async idsAndLabels(rowText: string, sources: EditorPreviewSources): Promise<{ trainer: string; inputIds: number[]; labels: number[] }> {
    const response = await this.process.request(
      {
        type: "preview",
        rowText,
        tokenizerPath: sources.tokenizerPath,
        template: sources.template,
        config: sources.config,
        configDir: sources.configDir,
        axolotl: sources.axolotl,
        trl: sources.trl,
        datasetInfo: sources.datasetInfo,
        settings: sources.settings,
        idsOnly: true,
      },
      sources.timeoutMs + loadAllowanceMs,
    );
    if (response.type === "error") throw new Error(response.message);
    if (response.type !== "ids") throw new Error("the preview worker answered with a view, not ids");
    return response;
  }

  dispose(): void {
    this.process.dispose();
  }
}

import { basename } from "node:path";
import * as vscode from "vscode";
import { createBackend } from "../backend/createBackend";
import { LlamaWorkerBackend } from "../backend/llamaBackend";
import { isUrlList, ModelBackend, ModelError } from "../core/model/backend";
import { apiKeyVariable } from "../core/model/modelDefaults";
import type { ModelSettings, Settings } from "../settings/settings";

const recentKey = "instructStudio.recentModels";
/** The user's answers, per server URL, to "send the API key to the workspace's server?". */
const keyAnswersKey = "instructStudio.apiKeyAnswers";
/** Settings that need a new backend when they change (sampling and the idle time do not). */
const backendKey = (model: ModelSettings) => JSON.stringify({ ...model, idleUnloadMs: 0, maxTokens: 0, temperature: 0, topP: 0 });

const deviceLabels: Record<string, string> = { cuda: "CUDA", vulkan: "Vulkan", metal: "Metal", cpu: "CPU", auto: "GPU auto", server: "server" };

/**
 * Owns the model backend: created lazily from the settings, loaded with a progress bar,
 * unloaded after an idle time, shown in the status bar, recreated when the settings change.
 */
export class ModelManager implements vscode.Disposable {
  private backend: ModelBackend | undefined;
  private backendFor: string | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private active = 0;
  private state: "idle" | "loading" | "busy" = "idle";
  /** How the last job ended: a server that refused or a model process that died shows here until one succeeds. */
  private lastOutcome: { for: string; ok: boolean; message?: string } | undefined;
  private readonly item = vscode.window.createStatusBarItem("instructStudio.model", vscode.StatusBarAlignment.Right, 99);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly settings: Settings,
    private readonly outDir: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly memento: vscode.Memento,
  ) {
    this.item.name = "Instruct Studio Model";
    this.item.command = "instructStudio.chooseModel";
    this.subscriptions = [this.item, settings.onDidChange(() => this.refresh())];
    this.refresh();
  }

  get modelSettings(): ModelSettings {
    return this.settings.current.model;
  }

  /** Why no model command can run now, or undefined when one can. */
  unavailable(): string | undefined {
    const model = this.modelSettings;
    if (model.restricted) return model.restricted;
    if (!model.model) return "No model chosen: pick a .gguf file or an OpenAI-compatible server first.";
    return undefined;
  }

  /** The worker's pid while one runs (tests kill it to check recovery). */
  get workerPid(): number | undefined {
    return this.backend instanceof LlamaWorkerBackend ? this.backend.pid : undefined;
  }

  get info() {
    return this.backend?.info();
  }

  /** What the status bar says (tests read it). */
  get statusText(): string {
    return this.item.text;
  }

  private refresh(): void {
    const model = this.modelSettings;
    if (this.backend && this.backendFor !== backendKey(model)) {
      this.log.info("Model settings changed; the model will load again on the next command.");
      this.backend.dispose();
      this.backend = undefined;
    }
    this.render();
  }

  private render(): void {
    const model = this.modelSettings;
    if (!model.model) {
      this.item.text = "$(hubot) No model";
      this.item.tooltip = model.restricted ?? "Instruct Studio: choose a local model (.gguf) or a server for generate and critique.";
      this.item.show();
      return;
    }
    const info = this.backend?.info();
    const server = isUrlList(model.model);
    const name = server ? new URL(model.model).host : basename(model.model);
    const device = server ? "server" : info?.loaded ? (deviceLabels[info.device] ?? info.device) : model.gpu === false ? "CPU" : "GPU auto";
    const outcome = this.lastOutcome?.for === backendKey(model) ? this.lastOutcome : undefined;
    const failed = outcome && !outcome.ok ? outcome.message : undefined;
    const state =
      this.state === "loading"
        ? "$(sync~spin) loading"
        : this.state === "busy"
          ? "$(sync~spin) generating"
          : failed
            ? `$(warning) ${server ? "unreachable" : "failed"}`
            : server
              ? outcome?.ok
                ? "ready"
                : "not contacted yet"
              : info?.loaded
                ? "loaded"
                : "not loaded";
    this.item.text = `$(hubot) ${name} · ${device} · ${state}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Instruct Studio model**\n\n${server ? "Server" : "File"}: \`${model.model.replace(/`/g, "")}\`\n\nDevice: ${device}${info?.contextSize ? `\n\nContext: ${info.contextSize} tokens × ${info.parallel}` : ""}${failed ? `\n\nLast request failed: ${failed.replace(/[\\`*_[\]<>]/g, " ")}` : ""}\n\nClick to choose another model.`,
    );
    this.item.show();
  }

  private async ensureBackend(): Promise<ModelBackend> {
    const model = this.modelSettings;
    if (!model.model) throw new ModelError(this.unavailable() ?? "No model chosen.", "file");
    const apiKey = await this.apiKeyFor(model);
    if (this.modelSettings !== model) return this.ensureBackend();
    if (!this.backend) {
      this.backend = createBackend(this.outDir, { ...model, apiKey, model: model.model, log: (line) => this.log.info(line) });
      this.backendFor = backendKey(model);
    }
    return this.backend;
  }

  /**
   * The API key goes to a server the user chose. A URL from the workspace's settings (a cloned
   * repository's .vscode/settings.json) gets it only after the user agrees, once per URL; the
   * answer is kept in the user's global state, where no workspace can set it.
   */
  private async apiKeyFor(model: ModelSettings): Promise<string | undefined> {
    if (!model.apiKey || !model.endpointFromWorkspace || !model.model) return model.apiKey;
    const answers = this.memento.get<Record<string, "send" | "withhold">>(keyAnswersKey, {});
    let answer = answers[model.model];
    if (!answer) {
      const send = "Send the Key";
      const withhold = "Connect Without It";
      const choice = await vscode.window.showWarningMessage(
        `This workspace's settings send model requests to ${model.model}. Send your ${apiKeyVariable} to it?`,
        {
          modal: true,
          detail:
            "The server was chosen by the workspace's settings (.vscode/settings.json), not by you. The rows you critique or generate from go to it either way; your API key goes only if you agree. The answer is remembered for this URL.",
        },
        send,
        withhold,
      );
      if (!choice) throw new ModelError(`Cancelled: nothing was sent to ${model.model}.`, "cancelled");
      answer = choice === send ? "send" : "withhold";
      await this.memento.update(keyAnswersKey, { ...answers, [model.model]: answer });
      this.log.info(`${apiKeyVariable} ${answer === "send" ? "will be sent" : "will not be sent"} to the workspace's server ${model.model}.`);
    }
    return answer === "send" ? model.apiKey : undefined;
  }

  /**
   * Runs `work` with a loaded backend. The first use loads the model under a progress bar;
   * the idle timer starts again when the last job ends.
   */
  async use<T>(work: (backend: ModelBackend) => Promise<T>): Promise<T> {
    const backend = await this.ensureBackend();
    clearTimeout(this.idleTimer);
    this.active++;
    try {
      if (!backend.info().loaded) {
        this.state = "loading";
        this.render();
        const label = backend.info().label;
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Loading ${label}` }, async (progress) => {
          let reported = 0;
          await backend.prepare((fraction) => {
            const percent = Math.round(fraction * 100);
            if (percent > reported) progress.report({ increment: percent - reported, message: `${percent}%` });
            reported = Math.max(reported, percent);
          });
        });
      }
      this.state = "busy";
      this.render();
      const result = await work(backend);
      this.lastOutcome = { for: backendKey(this.modelSettings), ok: true };
      return result;
    } catch (error) {
      this.log.error(error instanceof Error ? error.message : String(error));
      if (
        error instanceof ModelError &&
        (error.kind === "server" || error.kind === "crashed" || error.kind === "hung" || error.kind === "file" || error.kind === "memory")
      ) {
        this.lastOutcome = { for: backendKey(this.modelSettings), ok: false, message: error.message };
      }
      throw error;
    } finally {
      this.active--;
      if (this.active === 0) {
        this.state = "idle";
        this.scheduleUnload();
      }
      this.render();
    }
  }

  private scheduleUnload(): void {
    const ms = this.modelSettings.idleUnloadMs;
    if (ms <= 0) return;
    this.idleTimer = setTimeout(() => void this.unload("idle"), ms);
  }

  async unload(why: "idle" | "user" = "user"): Promise<void> {
    clearTimeout(this.idleTimer);
    if (!this.backend || this.active > 0) return;
    await this.backend.unload().catch((error: Error) => this.log.warn(`Unloading the model: ${error.message}`));
    this.log.info(why === "idle" ? "Model unloaded after the idle time." : "Model unloaded.");
    this.render();
  }

  recent(): string[] {
    return this.memento.get<string[]>(recentKey, []);
  }

  async remember(model: string): Promise<void> {
    await this.memento.update(recentKey, [model, ...this.recent().filter((m) => m !== model)].slice(0, 8));
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    this.backend?.dispose();
    this.subscriptions.forEach((s) => s.dispose());
  }
}

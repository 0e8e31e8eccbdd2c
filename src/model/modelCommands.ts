import * as vscode from "vscode";
import { isUrlList, ModelError } from "../core/model/backend";
import type { InstructStudio } from "../context";
import { saveModelChoice } from "../settings/settings";
import { continueTurn, critiqueEntry, critiqueFile, rewriteResponse } from "./critiqueCommands";
import { generateFromPassage, generateLikeThese } from "./generationCommands";

export interface CommandRefusal {
  refused: string;
}

/**
 * A model command in two forms, as rust-analyzer's commands are: enabled, it runs; disabled (no
 * model chosen, Restricted Mode) it says why and offers the fix instead of failing. Errors end
 * as one clear message; the model's own failures are logged with the details.
 */
function modelCommand<A extends unknown[]>(studio: InstructStudio, id: string, run: (...args: A) => Promise<unknown>): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: A): Promise<unknown> => {
    const why = studio.models.unavailable();
    if (why) {
      const choose = "Choose Model…";
      void vscode.window
        .showWarningMessage(why, ...(studio.settings.current.model.restricted ? [] : [choose]))
        .then((pick) => pick === choose && vscode.commands.executeCommand("instructStudio.chooseModel"));
      return { refused: why } satisfies CommandRefusal;
    }
    try {
      return await run(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof ModelError && error.kind === "cancelled") {
        void vscode.window.showInformationMessage(message);
        return { refused: message } satisfies CommandRefusal;
      }
      studio.log.error(`${id}: ${message}`);
      void vscode.window.showErrorMessage(message, "Show Log").then((pick) => pick && studio.log.show());
      return { refused: message } satisfies CommandRefusal;
    }
  });
}

async function chooseModel(studio: InstructStudio): Promise<string | undefined> {
  const browse = "$(folder-opened) Browse for a .gguf file…";
  const server = "$(globe) Use an OpenAI-compatible server…";
  const unload = "$(debug-stop) Unload the model";
  const current = studio.models.modelSettings.model;
  const items: vscode.QuickPickItem[] = [
    ...studio.models.recent().map((m) => ({ label: m, description: m === current ? "current" : isUrlList(m) ? "server" : "file" })),
    { label: "", kind: vscode.QuickPickItemKind.Separator },
    { label: browse },
    { label: server },
    ...(studio.models.info?.loaded ? [{ label: unload }] : []),
  ];
  const pick = await vscode.window.showQuickPick(items, { title: "Instruct Studio: model for generate and critique" });
  if (!pick) return undefined;
  if (pick.label === unload) {
    await studio.models.unload();
    return current;
  }
  let model = pick.label;
  if (pick.label === browse) {
    const files = await vscode.window.showOpenDialog({ filters: { "GGUF model": ["gguf"] }, canSelectMany: false, title: "Choose a GGUF model" });
    if (!files?.[0]) return undefined;
    model = files[0].fsPath;
  } else if (pick.label === server) {
    const url = await vscode.window.showInputBox({
      title: "OpenAI-compatible server",
      prompt: "Base URL of llama-server, vLLM or Ollama",
      value: "http://127.0.0.1:8080/v1",
      validateInput: (v) => (isUrlList(v) ? undefined : "An http:// or https:// URL (several: separated by commas)"),
    });
    if (!url) return undefined;
    model = url.trim();
  }
  await saveModelChoice(model);
  await studio.models.remember(model);
  return model;
}

export function registerModelCommands(studio: InstructStudio): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("instructStudio.chooseModel", () => chooseModel(studio)),
    vscode.commands.registerCommand("instructStudio.unloadModel", () => studio.models.unload()),
    modelCommand(studio, "instructStudio.generateEntries", (args?: { count?: number; seed?: number }) => generateLikeThese(studio, args)),
    modelCommand(studio, "instructStudio.generateFromPassage", (args?: { target?: string; title?: string; passage?: string; seed?: number }) =>
      generateFromPassage(studio, args),
    ),
    modelCommand(studio, "instructStudio.critiqueEntry", (args?: { uri?: string; line?: number }) => critiqueEntry(studio, args)),
    modelCommand(studio, "instructStudio.critiqueFile", (args?: { maxRows?: number; force?: boolean }) => critiqueFile(studio, args)),
    modelCommand(studio, "instructStudio.rewriteResponse", (args?: { uri?: string; line?: number; feedback?: string; seed?: number }) =>
      rewriteResponse(studio, args),
    ),
    modelCommand(studio, "instructStudio.continueTurn", (args?: { uri?: string; line?: number; seed?: number }) => continueTurn(studio, args)),
    vscode.commands.registerCommand("instructStudio.internal.cancelModelJobs", () => studio.jobs.cancelAll()),
    vscode.commands.registerCommand("instructStudio.internal.modelState", () => ({
      workerPid: studio.models.workerPid,
      info: studio.models.info,
      jobs: studio.jobs.count,
      unavailable: studio.models.unavailable(),
      model: studio.models.modelSettings.model,
      endpointFromWorkspace: studio.models.modelSettings.endpointFromWorkspace,
      timeoutMs: studio.models.modelSettings.timeoutMs,
      status: studio.models.statusText,
    })),
  ];
}

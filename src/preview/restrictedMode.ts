import { isAbsolute, relative, sep } from "node:path";
import { builtinTemplate } from "../core/templates/builtinTemplates";
import type { WorkerFiles } from "../protocol/previewWorker";

export function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  // "..x" is a folder inside named so; only ".." itself, or ".." then a separator, leaves the folder.
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Whether a file lies in one of the workspace folders (and so is not run until the folder is trusted). */
export function inWorkspace(path: string | undefined, workspaceFolders: string[]): boolean {
  return path !== undefined && workspaceFolders.some((f) => inside(f, path));
}

/**
 * In an untrusted workspace no template or model file from the workspace runs: a tokenizer,
 * template file or training config inside a workspace folder is dropped (built-in templates
 * and estimated counts remain). Returns the files kept and, when any was dropped, why.
 */
export function restrictToTrusted<T extends WorkerFiles>(files: T, workspaceFolders: string[]): { files: T; restricted?: string } {
  const kept = { ...files };
  const dropped: string[] = [];
  const fromWorkspace = (path: string | undefined) => inWorkspace(path, workspaceFolders);
  if (fromWorkspace(kept.tokenizerPath)) {
    dropped.push("tokenizer");
    kept.tokenizerPath = undefined;
  }
  if (kept.template && !builtinTemplate(kept.template) && fromWorkspace(kept.template)) {
    dropped.push("template file");
    kept.template = undefined;
  }
  if (fromWorkspace(kept.configPath)) {
    dropped.push("training config");
    kept.configPath = undefined;
  }
  if (dropped.length === 0) return { files: kept };
  return {
    files: kept,
    restricted: `Restricted Mode: the workspace's ${dropped.join(", ")} is not run until you trust this folder; built-in template and estimated counts shown.`,
  };
}

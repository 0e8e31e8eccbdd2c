import * as vscode from "vscode";
import { datasetInfoFor, describeMatch } from "../core/config/datasetInfoLookup";
import type { ValidationOptions } from "../core/validate/analyzeRow";
import type { DatasetInfoEntry } from "../core/config/datasetInfo";
import type { ValidationSettings } from "../settings/settings";

const reported = new Set<string>();

/** The dataset_info.json entry that names the document's file, if one does (LLaMA-Factory's view reads it). */
export function datasetInfoEntry(document: vscode.TextDocument, settings: ValidationSettings): DatasetInfoEntry | undefined {
  return document.uri.scheme === "file" ? datasetInfoEntryOf(document.uri.fsPath, settings) : undefined;
}

/** The dataset_info.json entry naming a file on disk (none in Restricted Mode, or where the file is broken). */
export function datasetInfoEntryOf(path: string, settings: ValidationSettings): DatasetInfoEntry | undefined {
  if (settings.datasetInfo === "restricted") return undefined;
  try {
    return datasetInfoFor(path, settings.datasetInfo?.path)?.entry;
  } catch {
    // A broken dataset_info.json is reported by validation; the view reads the row by its keys.
    return undefined;
  }
}

/**
 * A document's validation options: the settings', read as LLaMA-Factory's dataset_info.json
 * says when an entry of it names the file (its formatting, columns and tags are the most
 * specific statement of how the file is read). Never in Restricted Mode: it is workspace config.
 */
export function optionsFor(document: vscode.TextDocument, settings: ValidationSettings, log: vscode.LogOutputChannel): ValidationOptions {
  if (document.uri.scheme !== "file" || settings.datasetInfo === "restricted") return settings.options;
  try {
    const match = datasetInfoFor(document.uri.fsPath, settings.datasetInfo?.path);
    if (!match) return settings.options;
    const key = `${document.uri.fsPath}\n${match.infoPath}`;
    if (!reported.has(key)) {
      reported.add(key);
      log.info(`${document.uri.fsPath} is read as ${describeMatch(match)} says`);
    }
    return { ...settings.options, format: match.format, ...match.mapping };
  } catch (error) {
    const message = (error as Error).message;
    if (!reported.has(message)) {
      reported.add(message);
      log.warn(`${message}; ${document.uri.fsPath} is read by its keys`);
    }
    return settings.options;
  }
}

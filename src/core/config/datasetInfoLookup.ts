import { readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import type { FormatId } from "../formats/formatLabels";
import type { FieldMapping } from "../formats/instructionTypes";
import { DatasetInfoEntry, datasetInfoMapping, DatasetInfoError, entryForFile, maxDatasetInfoBytes, parseDatasetInfo } from "./datasetInfo";

export interface DatasetInfoMatch {
  /** The dataset_info.json that names the file. */
  infoPath: string;
  entry: DatasetInfoEntry;
  format: FormatId;
  mapping: FieldMapping;
}

const cache = new Map<string, { mtimeMs: number; size: number; entries: DatasetInfoEntry[] | DatasetInfoError }>();

/** The entries of a dataset_info.json, read once per change of the file; a broken one throws. */
export function readDatasetInfo(path: string): DatasetInfoEntry[] {
  const stat = statSync(path);
  const cached = cache.get(path);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) {
    if (cached.entries instanceof DatasetInfoError) throw cached.entries;
    return cached.entries;
  }
  let entries: DatasetInfoEntry[] | DatasetInfoError;
  try {
    if (stat.size > maxDatasetInfoBytes)
      throw new DatasetInfoError(
        `${path} is ${(stat.size / 1024 / 1024).toFixed(0)} MB; a dataset_info.json is a few KB, and files over ${maxDatasetInfoBytes / 1024 / 1024} MB are not read`,
      );
    entries = parseDatasetInfo(readFileSync(path, "utf8"));
  } catch (error) {
    entries = error instanceof DatasetInfoError ? error : new DatasetInfoError(`cannot read ${path}: ${(error as Error).message}`);
  }
  cache.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, entries });
  if (entries instanceof DatasetInfoError) throw entries;
  return entries;
}

const exists = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * How LLaMA-Factory reads a dataset file: from the given dataset_info.json, else from one in the
 * file's folder or up to two folders above (its `dataset_dir`, whose `file_name`s may name
 * subfolders), when an entry names the file. Undefined when none does.
 */
export function datasetInfoFor(datasetPath: string, infoPath?: string): DatasetInfoMatch | undefined {
  const candidates = infoPath
    ? [infoPath]
    : [0, 1, 2].map((up) => join(dirname(datasetPath), ...Array<string>(up).fill(".."), "dataset_info.json")).filter(exists);
  for (const candidate of candidates) {
    const entry = entryForFile(readDatasetInfo(candidate), relative(dirname(candidate), datasetPath).split(sep).join("/"));
    if (entry) return { infoPath: candidate, entry, ...datasetInfoMapping(entry) };
  }
  return undefined;
}

/** A short line for logs and notes: which entry decides how the file is read. */
export const describeMatch = (match: DatasetInfoMatch) => `${basename(match.infoPath)} entry "${match.entry.name}" (formatting: ${match.entry.formatting})`;

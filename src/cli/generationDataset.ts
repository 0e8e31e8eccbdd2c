import { datasetContext, DatasetContext, DatasetContextError, readDatasetRows } from "../core/generation/datasetContext";
import { openDataset } from "./readDataset";
import { UsageError } from "./usageError";

/** The dataset's rows as texts, from JSON Lines or from a JSON array's elements. */
async function readRows(file: string): Promise<{ texts: string[]; array: boolean }> {
  const dataset = await openDataset(file);
  const texts: string[] = [];
  if (dataset.kind === "jsonl") for await (const batch of dataset.batches) for (const line of batch) texts.push(line.tooLong ? "" : line.text);
  else for await (const items of dataset.batches) for (const item of items) if (item.kind === "element") texts.push(item.tooLong ? "" : item.text);
  return { texts, array: dataset.kind === "array" };
}

/** The file's rows as the examples and the filters' reference. */
export async function loadDataset(file: string): Promise<{ dataset: DatasetContext; array: boolean }> {
  const { texts, array } = await readRows(file);
  try {
    return { dataset: datasetContext(readDatasetRows(texts), {}), array };
  } catch (error) {
    if (error instanceof DatasetContextError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}

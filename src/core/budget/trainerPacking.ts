import { Packing, packFirstFitDecreasing } from "./packing";

/**
 * How each trainer packs rows into sequences, for the step count with packing:
 * - Axolotl's multipack sampler: first-fit decreasing over the whole set (`packing.ts`);
 * - LLaMA-Factory's `greedy_knapsack` (processor_utils.py): per preprocessing batch, knapsack
 *   after knapsack filled with the longest row that still fits, rows longer than the capacity dropped;
 * - TRL's `pack_dataset` (data_utils.py, 1.13): per map batch, best-fit decreasing with long rows
 *   truncated (`bfd`, its default) or split (`bfd_split`), or every row concatenated and cut (`wrapped`).
 * Written here: these are a few lines each in the trainers, and no package reproduces them.
 */
export type PackingRule = { trainer: "axolotl" } | { trainer: "llama-factory" } | { trainer: "trl"; strategy: TrlPackingStrategy };
export type TrlPackingStrategy = "bfd" | "bfd_split" | "wrapped";

/** `datasets.map(batched=True)`'s default batch, which both trainers pack within; LLaMA-Factory's preprocessing_batch_size default too. */
export const packingBatchRows = 1000;

export function packRows(lengths: readonly number[], capacity: number, rule: PackingRule): Packing {
  if (rule.trainer === "axolotl") return packFirstFitDecreasing(lengths, capacity);
  let bins = 0;
  let placed = 0;
  const tree = rule.trainer === "trl" && rule.strategy !== "wrapped" ? new SpaceTree(capacity) : undefined;
  for (let start = 0; start < lengths.length; start += packingBatchRows) {
    const batch = lengths.slice(start, start + packingBatchRows);
    let packed: { bins: number; placed: number };
    if (rule.trainer === "llama-factory") packed = greedyKnapsack(batch, capacity);
    else if (rule.strategy === "wrapped") packed = wrapped(batch, capacity);
    else
      packed = bestFitDecreasing(rule.strategy === "bfd" ? batch.map((l) => Math.min(l, capacity)) : batch.flatMap((l) => split(l, capacity)), capacity, tree!);
    bins += packed.bins;
    placed += packed.placed;
  }
  return { bins, efficiency: bins === 0 ? 0 : placed / (bins * capacity) };
}

/** A row longer than the capacity as `bfd_split` cuts it: full chunks, the shorter one last. */
function split(length: number, capacity: number): number[] {
  const chunks = Array.from({ length: Math.floor(length / capacity) }, () => capacity);
  if (length % capacity > 0) chunks.push(length % capacity);
  return chunks;
}

/** `greedy_knapsack`: lengths ascending; each knapsack takes the longest that fits (bisect), again and again. */
function greedyKnapsack(batch: readonly number[], capacity: number): { bins: number; placed: number } {
  const numbers = batch.filter((l) => l > 0 && l <= capacity).sort((a, b) => a - b);
  let bins = 0;
  let placed = 0;
  while (numbers.length > 0) {
    let remaining = capacity;
    for (;;) {
      // bisect_right(numbers, remaining) - 1: the last length not above what remains.
      let low = 0;
      let high = numbers.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (numbers[middle] <= remaining) low = middle + 1;
        else high = middle;
      }
      if (low === 0) break;
      remaining -= numbers[low - 1];
      placed += numbers[low - 1];
      numbers.splice(low - 1, 1);
    }
    bins++;
  }
  return { bins, placed };
}

function wrapped(batch: readonly number[], capacity: number): { bins: number; placed: number } {
  const total = batch.reduce((a, b) => a + b, 0);
  return { bins: Math.ceil(total / capacity), placed: total };
}

/** TRL's `_SegmentTree`: the free spaces bins have, answering "the smallest space of at least n". */
class SpaceTree {
  private readonly size: number;
  private readonly tree: Int32Array;
  constructor(capacity: number) {
    this.size = 1 << Math.ceil(Math.log2(Math.max(2, capacity)));
    this.tree = new Int32Array(2 * this.size);
  }
  set(space: number, present: boolean): void {
    let i = this.size + space - 1;
    this.tree[i] = present ? space : 0;
    for (i >>= 1; i >= 1; i >>= 1) this.tree[i] = Math.max(this.tree[2 * i], this.tree[2 * i + 1]);
  }
  smallestAtLeast(length: number): number {
    let i = 1;
    while (i < this.size) i = this.tree[2 * i] >= length ? 2 * i : 2 * i + 1;
    return this.tree[i];
  }
}

/** `_pack_bfd`'s binning: longest first, each into the bin whose free space fits it most tightly, a new bin when none does. */
function bestFitDecreasing(batch: readonly number[], capacity: number, tree: SpaceTree): { bins: number; placed: number } {
  const lengths = batch.filter((l) => l > 0).sort((a, b) => b - a);
  const binsWithSpace = new Map<number, number>();
  tree.set(capacity, true);
  let bins = 0;
  let placed = 0;
  for (const length of lengths) {
    const space = tree.smallestAtLeast(length);
    if (space < capacity) {
      const left = binsWithSpace.get(space)! - 1;
      binsWithSpace.set(space, left);
      if (left === 0) tree.set(space, false);
    } else bins++;
    const rest = space - length;
    binsWithSpace.set(rest, (binsWithSpace.get(rest) ?? 0) + 1);
    if (rest > 0) tree.set(rest, true);
    placed += length;
  }
  // The tree serves the next batch: clear the spaces this one left.
  for (const [space, count] of binsWithSpace) if (space > 0 && count > 0) tree.set(space, false);
  return { bins, placed };
}

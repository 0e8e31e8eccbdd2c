import type { RowAnalysis } from "./analyzeRow";
import { bandMaps, searchKeys } from "./minhash";
import { findNearDuplicate, NearDuplicateVerdict } from "./nearDuplicates";

export const nearDuplicateThreshold = 0.7;
/** Candidates compared per row: bounds the cost of rows that share boilerplate with many others. */
export const maxNearDuplicateCandidates = 32;
/** Rows kept per LSH bucket; rows past it are still compared with those kept. Bounds time and memory. */
export const maxBucketRows = 1000;

/** A row of the editor's document as the duplicate index sees it: lines shift with edits, rows keep their identity. */
export interface IndexedRow {
  line: number;
  analysis: RowAnalysis;
  /** Its keys in each bucket band (-1: none). */
  bands: number[];
  /** The rows with the same content key, this one included. */
  group?: DuplicateGroup;
  nearDuplicateOf?: { entry: IndexedRow; verdict: NearDuplicateVerdict };
}

/**
 * Rows with one content key. The first (lowest line) is cached: lines shift with edits but
 * never change order, so it stays right until it leaves or an earlier row joins. A group of
 * 100,000 identical rows costs O(1) per edit, not a scan of the group.
 */
export class DuplicateGroup {
  readonly members = new Set<IndexedRow>();
  private firstMember: IndexedRow | undefined;

  add(entry: IndexedRow): void {
    this.members.add(entry);
    if (this.firstMember && entry.line < this.firstMember.line) this.firstMember = entry;
  }

  delete(entry: IndexedRow): void {
    this.members.delete(entry);
    if (this.firstMember === entry) this.firstMember = undefined;
  }

  first(): IndexedRow | undefined {
    if (!this.firstMember) for (const e of this.members) if (!this.firstMember || e.line < this.firstMember.line) this.firstMember = e;
    return this.firstMember;
  }
}

/**
 * The editor's index of exact and near duplicates, following edits: rows join and leave as
 * lines change, and a row's verdict is refreshed only when a row in one of its buckets changed.
 * The streaming validator's RowComparer answers the same questions over rows that never change.
 */
export class DocumentDuplicates<E extends IndexedRow> {
  private readonly exact = new Map<number, DuplicateGroup>();
  private readonly buckets = bandMaps<E[]>();

  clear(): void {
    this.exact.clear();
    this.buckets.forEach((b) => b.clear());
  }

  /** The first row with this content key, if any row has it. */
  firstWithContent(contentKey: number | undefined): E | undefined {
    return contentKey === undefined ? undefined : (this.exact.get(contentKey)?.first() as E | undefined);
  }

  add(entry: E): void {
    const { contentKey, signature, answerKey } = entry.analysis;
    if (contentKey !== undefined) {
      let group = this.exact.get(contentKey);
      if (!group) this.exact.set(contentKey, (group = new DuplicateGroup()));
      group.add(entry);
      entry.group = group;
    }
    entry.bands = signature || answerKey !== undefined ? searchKeys(signature, answerKey) : [];
    entry.bands.forEach((key, band) => key !== -1 && insertInLineOrder(this.buckets[band], key, entry, maxBucketRows));
  }

  remove(entry: E): void {
    const group = entry.group;
    if (group) {
      group.delete(entry);
      if (group.members.size === 0) this.exact.delete(entry.analysis.contentKey!);
    }
    entry.bands.forEach((key, band) => key !== -1 && pull(this.buckets[band], key, entry));
  }

  /** Rows sharing a bucket with `changed` rows: their nearest earlier row may change. Buckets are bounded. */
  neighbours(changed: E[]): Set<E> {
    const affected = new Set<E>();
    for (const entry of changed) entry.bands.forEach((key, band) => key !== -1 && this.buckets[band].get(key)?.forEach((other) => affected.add(other)));
    return affected;
  }

  /** The earlier row this one repeats exactly (the first of its group), if it is not the first. */
  duplicateOf(entry: E): E | undefined {
    const first = entry.group && entry.group.members.size > 1 ? entry.group.first() : undefined;
    return first === entry ? undefined : (first as E | undefined);
  }

  /** Finds the row's nearest earlier near duplicate again. */
  refresh(entry: E): void {
    entry.nearDuplicateOf = undefined;
    const { contentKey, signature, sketch, shortPrompt, answerKey } = entry.analysis;
    if (this.duplicateOf(entry) || entry.bands.length === 0) return;
    const found = findNearDuplicate(
      { signature, sketch: sketch!, contentKey, shortPrompt, answerKey, bands: entry.bands },
      (band, key): E[] | undefined => this.buckets[band].get(key),
      (other: E) => {
        if (other.line >= entry.line) return undefined;
        const a = other.analysis;
        return { signature: a.signature, sketch: a.sketch!, contentKey: a.contentKey, shortPrompt: a.shortPrompt, answerKey: a.answerKey };
      },
      nearDuplicateThreshold,
      maxNearDuplicateCandidates,
    );
    if (found) entry.nearDuplicateOf = { entry: found.match as IndexedRow, verdict: found.verdict };
  }
}

/**
 * Adds a row to a bucket where its line puts it: the search compares a bucket's rows in line
 * order, so a row typed above others must come before them, as a fresh validation would put it.
 */
function insertInLineOrder<K, E extends IndexedRow>(map: Map<K, E[]>, key: K, entry: E, limit: number): void {
  const list = map.get(key);
  if (!list) {
    map.set(key, [entry]);
    return;
  }
  if (list.length >= limit) return;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle].line < entry.line) low = middle + 1;
    else high = middle;
  }
  list.splice(low, 0, entry);
}

function pull<K, E>(map: Map<K, E[]>, key: K, entry: E): void {
  const list = map.get(key);
  if (!list) return;
  const index = list.indexOf(entry);
  if (index !== -1) list.splice(index, 1);
  if (list.length === 0) map.delete(key);
}

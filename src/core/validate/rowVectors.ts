/**
 * The small typed arrays every row gets (its MinHash signature, its sketch, its short prompt's
 * words), cut from shared slabs: a typed array of its own costs a native allocation and its
 * collection, measured as much as the hashing itself at a million rows. A slab lives while any
 * row cut from it does, so a slab holds only rows of one stretch of the file.
 */
const slabLength = 1 << 16;
/** Vectors longer than this get their own array: a slab is not held for one big row. */
const ownArrayFrom = slabLength >>> 4;

let slab = new Uint32Array(slabLength);
let used = 0;
/** Slabs cut from so far, the current one included: with `used`, where the next vector is cut. */
let slabCount = 1;
/** Slabs handed back by the thread that read their rows, cut again before new ones are made. */
const spareSlabs: ArrayBuffer[] = [];
/** Spare slabs kept at most (16 MB): a lint thread runs two chunks ahead, about 40 slabs. */
const maxSpareSlabs = 64;

/** A zeroed vector of `length` 32-bit words that belongs to the caller. */
export function rowVector(length: number): Uint32Array {
  if (length >= ownArrayFrom) return new Uint32Array(length);
  if (used + length > slabLength) {
    const spare = spareSlabs.pop();
    slab = spare ? new Uint32Array(spare).fill(0) : new Uint32Array(slabLength);
    slabCount++;
    used = 0;
  }
  const vector = slab.subarray(used, used + length);
  used += length;
  return vector;
}

/** Where the next vector will be cut: a mark to `releaseVectors` to. */
export function slabMark(): number {
  return slabCount * slabLength + used;
}

/**
 * Gives back the space of the vectors cut between two marks, when nothing was cut after them:
 * the vectors of rows that the near-duplicate index does not keep, once they are compared. On
 * one thread a 1 GB file otherwise cut a gigabyte of slabs that only a full collection frees.
 */
export function releaseVectors(from: number, to: number): void {
  if (to !== slabMark() || to === from) return;
  const start = Math.floor(from / slabLength) === slabCount ? from % slabLength : 0;
  slab.fill(0, start, used);
  used = start;
}

/**
 * Ends the current slab: vectors cut from now on share no slab with earlier ones, so a lint
 * thread can hand a chunk's slabs over whole (transferred, not copied).
 */
export function endSlab(): void {
  used = slabLength;
}

/**
 * Takes back slabs whose rows are done with (a lint thread's main thread hands back those of a
 * chunk none of whose rows it indexed): a new slab for every chunk of a 1 GB file was a gigabyte
 * of fresh memory to zero, and on the thread that let go of them, a full collection every few
 * chunks to free it.
 */
export function reuseSlabs(buffers: readonly ArrayBuffer[]): void {
  for (const buffer of buffers) if (buffer.byteLength === slabLength * 4 && spareSlabs.length < maxSpareSlabs) spareSlabs.push(buffer);
}

/** Lets go of the spare slabs: a lint thread between two files holds no memory for the first one's rows. */
export function forgetSpareSlabs(): void {
  spareSlabs.length = 0;
}

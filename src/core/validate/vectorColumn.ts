import { widened } from "./typedArrays";

/**
 * One small vector per slot of the near-duplicate index (a signature, a sketch, a short prompt),
 * kept as where it lies (a slab, an offset, a length) rather than as a typed array of its own: a
 * view costs about 100 bytes of heap, and an index of 100,000 rows held 300,000 of them, which
 * every collection copied or marked. A vector is viewed again only while a row is compared.
 */
export class VectorColumn {
  /** The distinct buffers the vectors lie in, in the order they came. */
  private readonly buffers: ArrayBufferLike[] = [];
  /** Per slot: the index of its buffer, its byte offset, and its length in words (-1: no vector). */
  private bufferIndex = new Int32Array(1024);
  private byteOffsets = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(vector: Uint32Array | undefined): void {
    if (this.count === this.lengths.length) this.grow();
    const slot = this.count++;
    if (!vector) {
      this.lengths[slot] = -1;
      return;
    }
    const buffers = this.buffers;
    if (buffers.length === 0 || buffers[buffers.length - 1] !== vector.buffer) buffers.push(vector.buffer);
    this.bufferIndex[slot] = buffers.length - 1;
    this.byteOffsets[slot] = vector.byteOffset;
    this.lengths[slot] = vector.length;
  }

  /** The slot's vector, viewed anew (a view of the same words as the vector pushed). */
  at(slot: number): Uint32Array | undefined {
    const length = this.lengths[slot];
    return length < 0 ? undefined : new Uint32Array(this.buffers[this.bufferIndex[slot]], this.byteOffsets[slot], length);
  }

  private grow(): void {
    this.bufferIndex = widened(this.bufferIndex);
    this.byteOffsets = widened(this.byteOffsets);
    this.lengths = widened(this.lengths);
  }
}

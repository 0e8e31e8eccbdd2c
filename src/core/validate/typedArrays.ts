type Grown = Int32Array | Uint8Array | Float64Array;

/** A copy of `array` with room for `length` items (twice its own by default), zeros after its items. */
export function widened<T extends Grown>(array: T, length = array.length * 2): T {
  const wider = new (array.constructor as new (length: number) => T)(length);
  wider.set(array as ArrayLike<number>);
  return wider;
}

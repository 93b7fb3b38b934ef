/**
 * Joins the chunks of a request body read piece by piece into one `Uint8Array` of `size` bytes;
 * a single chunk is returned as it is. For adapters without Node's `Buffer.concat` (uWS, fetch).
 */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}

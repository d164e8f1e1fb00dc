/** Joins streamed chunks into one array (total = sum of their lengths). */
export function concatChunks(chunks: readonly Uint8Array[], total: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

/**
 * Reads a byte stream to the end, calling onChunk with the bytes read so far after each chunk. If onChunk
 * throws (e.g. a size cap was passed), the stream is cancelled and the error propagates.
 */
export async function readStream(stream: ReadableStream<Uint8Array>, onChunk?: (loaded: number) => void): Promise<Uint8Array<ArrayBuffer>> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    try {
      onChunk?.(loaded);
    } catch (e) {
      await reader.cancel();
      throw e;
    }
  }
  return concatChunks(chunks, loaded);
}

// Walks a JPEG's marker segments up to the image data. libvips does not report COM (comment) segments, and a
// comment can carry anything ("GPS 51.5,-0.12 owner alice@..."), so the store checks the bytes itself.

/** Segments a bare JPEG needs: JFIF header (APP0), tables, frame and scan headers. */
const STRUCTURAL = new Set([0xe0, 0xdb, 0xc4, 0xdd, 0xcc, ...Array.from({ length: 16 }, (_, i) => 0xc0 + i).filter((m) => m !== 0xc4 && m !== 0xcc)]);

/** True when the JPEG carries any segment beyond the structural ones (comments, EXIF, XMP, IPTC, ICC, ...). */
export function jpegHasExtraSegments(b: Uint8Array): boolean {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return false;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return true; // not a marker where one must be: treat as unknown content
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xda) return false; // start of scan: the headers are over
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    if (!STRUCTURAL.has(marker)) return true;
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    i += 2 + len;
  }
  return false;
}

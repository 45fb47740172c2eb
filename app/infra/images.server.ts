/**
 * Photos people upload (a complaint's evidence, issue 25): checked and re-encoded with sharp
 * (libvips; decision 045). Only JPEG, PNG and WebP are read, the pixel count is bounded before
 * decoding (a small file cannot expand into gigabytes), the image is turned upright by its EXIF
 * orientation and written again as JPEG without any metadata: EXIF, GPS position, XMP, IPTC and
 * ICC profiles are not copied (sharp keeps none unless asked to).
 */
import sharp from "sharp";

export type CleanPhoto = { contentType: "image/jpeg"; bytes: Buffer; width: number; height: number };
export type PhotoRefusal = "type" | "tooLarge" | "unreadable";

const READABLE = new Set(["jpeg", "png", "webp"]);

/** The photo re-encoded without metadata, or why it was refused. */
export async function cleanPhoto(input: Buffer, limits: { bytesMax: number; pixelsMax: number; sideMax: number }): Promise<CleanPhoto | { refused: PhotoRefusal }> {
  if (input.length > limits.bytesMax) return { refused: "tooLarge" };
  let format: string | undefined;
  try {
    const metadata = await sharp(input, { limitInputPixels: limits.pixelsMax, failOn: "error" }).metadata();
    format = metadata.format;
    if (!READABLE.has(format ?? "")) return { refused: "type" };
    if ((metadata.width ?? 0) * (metadata.height ?? 0) > limits.pixelsMax) return { refused: "tooLarge" };
    const { data, info } = await sharp(input, { limitInputPixels: limits.pixelsMax, failOn: "error" })
      .rotate()
      .resize({ width: limits.sideMax, height: limits.sideMax, fit: "inside", withoutEnlargement: true })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { contentType: "image/jpeg", bytes: data, width: info.width, height: info.height };
  } catch {
    // Not an image sharp can read (or one it refuses to decode): a type error unless it was one of ours.
    return { refused: format && READABLE.has(format) ? "unreadable" : "type" };
  }
}

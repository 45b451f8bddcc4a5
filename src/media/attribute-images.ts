import {readFile} from 'node:fs/promises'
import {ATTRIBUTE_JPEG_QUALITY, PREVIEW_SIDE, THUMBNAIL_SIDE} from './attribute-types.js'
import {loadSharp, type Sharp} from './sharp-loader.js'

type SharpImage = ReturnType<Sharp>

export interface AttributeImages {
  thumbnail: Buffer
  preview: Buffer
}

/**
 * The thumbnail and preview of an image file, made the way the SDK makes them (meganz/sdk src/gfx.cpp
 * `generateImages` and `IGfxLocalProvider::transform`, src/gfx/freeimage.cpp):
 * - the image is decoded once, at the size the largest attribute needs (`readbitmap(path, maxDimension)`;
 *   FreeImage's JPEG loader takes that size as a hint and decodes at a reduced scale), with the EXIF
 *   orientation applied (FreeImage loads JPEGs with `JPEG_EXIFROTATE`); both attributes come from that bitmap;
 * - preview: scaled to fit inside 1000×1000;
 * - thumbnail: scaled so that its shorter side is 200 px, then a 200×200 square cut out centred horizontally
 *   and at a third of the height ("cropped from near center": `px = (w - rw) / 2; py = (h - rw) / 3`);
 * - an image smaller than the target in both directions is not enlarged ("Skipping upsizing of local
 *   preview"): the attribute is the image itself, at its own size;
 * - JPEG at quality 85. Transparent areas become white (JPEG has no alpha).
 * Rejects when the file is not an image libvips can decode.
 */
export async function makeAttributeImages(path: string): Promise<AttributeImages> {
  const sharp = await loadSharp()
  // libvips reads the file itself: a large image is never copied whole into a Buffer.
  const {width, height} = await orientedSize(sharp, path)
  // The one decode (libvips shrinks JPEGs on load): the preview's pixels, or the whole image when smaller.
  const {data, info} = await sharp(path).rotate().resize(PREVIEW_SIDE, PREVIEW_SIDE, {fit: 'inside', withoutEnlargement: true})
    .flatten({background: '#ffffff'}).raw().toBuffer({resolveWithObject: true})
  const bitmap = () => sharp(data, {raw: {width: info.width, height: info.height, channels: info.channels}})
  // A very long, thin image leaves too few pixels across for the thumbnail: that one comes from the original.
  const fromBitmap = Math.min(info.width, info.height) >= Math.min(THUMBNAIL_SIDE, width, height)
  const thumbnailImage = fromBitmap ? square(bitmap(), info) : square(sharp(path).rotate().flatten({background: '#ffffff'}), {width, height})
  const [thumbnail, preview] = await Promise.all([
    thumbnailImage.jpeg({quality: ATTRIBUTE_JPEG_QUALITY}).toBuffer(),
    bitmap().jpeg({quality: ATTRIBUTE_JPEG_QUALITY}).toBuffer(),
  ])
  return {thumbnail, preview}
}

/**
 * A local image as a thumbnail or preview to attach as it is (`thumbnail -s`, `preview -s`): the SDK uploads
 * the file's bytes unchanged (megaapi_impl.cpp `performRequest_setAttrFile`); a JPEG goes up byte for byte,
 * another format libvips reads is converted to JPEG, since every client expects one. Rejects for a file that
 * is not an image.
 */
export async function attributeJpeg(path: string): Promise<Buffer> {
  const sharp = await loadSharp()
  const input = await readFile(path)
  const {format} = await sharp(input).metadata().catch(() => ({format: undefined}))
  if (!format) throw new NotAnImageError(path)
  if (format === 'jpeg') return input
  return sharp(input).rotate().flatten({background: '#ffffff'}).jpeg({quality: ATTRIBUTE_JPEG_QUALITY}).toBuffer()
}

export class NotAnImageError extends Error {
  override readonly name = 'NotAnImageError'
  constructor(readonly path: string) {
    super(`${path} is not an image that can be read`)
  }
}

async function orientedSize(sharp: Sharp, input: string): Promise<{width: number; height: number}> {
  const meta = await sharp(input).metadata()
  if (!meta.width || !meta.height) throw new Error('the image has no dimensions')
  // EXIF orientations 5-8 turn the image by 90°: width and height swap.
  return (meta.orientation ?? 1) >= 5 ? {width: meta.height, height: meta.width} : {width: meta.width, height: meta.height}
}

/** The SDK's square thumbnail of an image of `size` (transform(), integer arithmetic); smaller ones stay as they are. */
function square(image: SharpImage, {width, height}: {width: number; height: number}): SharpImage {
  if (width < THUMBNAIL_SIDE && height < THUMBNAIL_SIDE) return image
  const [w, h] = width < height ? [THUMBNAIL_SIDE, Math.floor(height * THUMBNAIL_SIDE / width)] : [Math.floor(width * THUMBNAIL_SIDE / height), THUMBNAIL_SIDE]
  return image.resize(w, h, {fit: 'fill'}).extract({left: Math.floor((w - THUMBNAIL_SIDE) / 2), top: Math.floor((h - THUMBNAIL_SIDE) / 3), width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE})
}

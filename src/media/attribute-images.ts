import {readFile} from 'node:fs/promises'
import {ATTRIBUTE_JPEG_QUALITY, PREVIEW_SIDE, THUMBNAIL_SIDE} from './attribute-types.js'
import {loadSharp, type Sharp} from './sharp-loader.js'

export interface AttributeImages {
  thumbnail: Buffer
  preview: Buffer
}

/**
 * The thumbnail and preview of an image file, made the way the SDK makes them (meganz/sdk src/gfx.cpp
 * `generateImages` and `IGfxLocalProvider::transform`, src/gfx/freeimage.cpp):
 * - the EXIF orientation is applied first (FreeImage loads JPEGs with `JPEG_EXIFROTATE`);
 * - thumbnail: scaled so that its shorter side is 200 px, then a 200×200 square cut out centred horizontally
 *   and at a third of the height ("cropped from near center": `px = (w - rw) / 2; py = (h - rw) / 3`);
 * - preview: scaled to fit inside 1000×1000;
 * - an image smaller than the target in both directions is not enlarged ("Skipping upsizing of local
 *   preview"): the attribute is the image itself, at its own size;
 * - JPEG at quality 85. Transparent areas become white (JPEG has no alpha).
 * Rejects when the file is not an image libvips can decode.
 */
export async function makeAttributeImages(path: string): Promise<AttributeImages> {
  const sharp = await loadSharp()
  const input = await readFile(path)
  const {width, height} = await orientedSize(sharp, input)
  const [thumbnail, preview] = await Promise.all([
    encode(sharp, input, {kind: 'square', side: THUMBNAIL_SIDE}, width, height),
    encode(sharp, input, {kind: 'fit', side: PREVIEW_SIDE}, width, height),
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

interface Target {
  kind: 'square' | 'fit'
  side: number
}

async function orientedSize(sharp: Sharp, input: Buffer): Promise<{width: number; height: number}> {
  const meta = await sharp(input).metadata()
  if (!meta.width || !meta.height) throw new Error('the image has no dimensions')
  // EXIF orientations 5-8 turn the image by 90°: width and height swap.
  return (meta.orientation ?? 1) >= 5 ? {width: meta.height, height: meta.width} : {width: meta.width, height: meta.height}
}

async function encode(sharp: Sharp, input: Buffer, target: Target, width: number, height: number): Promise<Buffer> {
  // autoOrient (EXIF) runs before the resize whatever the order of the calls.
  let image = sharp(input).rotate()
  if (width >= target.side || height >= target.side) {
    if (target.kind === 'fit') {
      image = image.resize(target.side, target.side, {fit: 'inside'})
    } else {
      // SDK transform(): integer arithmetic, shorter side scaled to the square's side.
      const [w, h] = width < height ? [target.side, Math.floor(height * target.side / width)] : [Math.floor(width * target.side / height), target.side]
      image = image.resize(w, h, {fit: 'fill'}).extract({left: Math.floor((w - target.side) / 2), top: Math.floor((h - target.side) / 3), width: target.side, height: target.side})
    }
  }
  return image.flatten({background: '#ffffff'}).jpeg({quality: ATTRIBUTE_JPEG_QUALITY}).toBuffer()
}

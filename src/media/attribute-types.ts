/**
 * File attributes the clients generate for images (mega-api.md §4.8): type 0 is the thumbnail, type 1 the
 * preview, both JPEG. The sizes are the SDK's (meganz/sdk src/gfx.cpp `GfxProc::DIMENSIONS`: `{200, 0}` "square
 * thumbnail, cropped from near center", `{1000, 1000}` "scaled version inside 1000x1000 bounding square"; the
 * thumbnail went from 120 to 200 px in SDK commit 223f16201 "Adjust thumbnail's size to 200px", 2017).
 */
export enum FileAttributeType {
  THUMBNAIL = 0,
  PREVIEW = 1,
}

/** The thumbnail's side: a square, cropped. */
export const THUMBNAIL_SIDE = 200
/** The preview's bounding square: the image fits inside it, never enlarged. */
export const PREVIEW_SIDE = 1000
/** FreeImage's JPEG flags in the SDK: `JPEG_BASELINE | JPEG_OPTIMIZE | 85` (meganz/sdk src/gfx/freeimage.cpp). */
export const ATTRIBUTE_JPEG_QUALITY = 85

/** How MEGAcmd names the attribute in its messages ("Thumbnail for …", "get thumbnail …"). */
export function attributeWord(type: FileAttributeType): 'thumbnail' | 'preview' {
  return type === FileAttributeType.THUMBNAIL ? 'thumbnail' : 'preview'
}

import {extname} from 'node:path'

/**
 * Whether an upload gets a thumbnail and a preview, decided by the extension as the SDK does (meganz/sdk
 * src/gfx.cpp `GfxProc::isgfx`: the file's extension must be in the provider's `supportedformats()` list),
 * so a file that is not an image costs nothing: no read, no image library. The list is the SDK's FreeImage
 * list (src/gfx/freeimage.cpp `supportedformats`: .jpg .png .bmp .jpeg … .webp) cut down to what sharp
 * (libvips) decodes, plus TIFF and AVIF, which libvips reads too (the SDK leaves TIFF out "temporarily").
 * HEIC is left out: sharp's prebuilt libvips decodes AVIF-coded HEIF only (`sharp.format.heif.input.fileSuffix`
 * is `['.avif']`), not the HEVC of phone photos, so trying would only print a warning per photo.
 */
const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jpe', '.jif', '.jfif', '.png', '.gif', '.webp', '.tif', '.tiff', '.avif'])

export function isImageFileName(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase())
}

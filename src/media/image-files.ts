import {extname} from 'node:path'

/**
 * Whether an upload gets a thumbnail and a preview, decided by the extension as the SDK does (meganz/sdk
 * src/gfx.cpp `GfxProc::isgfx`: the file's extension must be in the provider's `supportedformats()` list),
 * so a file that is not an image costs nothing: no read, no image library. The list is the SDK's FreeImage
 * list (src/gfx/freeimage.cpp `supportedformats`: .jpg .png .bmp .jpeg … .webp) cut down to what sharp
 * (libvips) decodes, plus the TIFF and HEIF formats libvips reads (the SDK leaves TIFF out "temporarily" and
 * reads HEIF only on its iOS/Android providers).
 */
const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jpe', '.jif', '.jfif', '.png', '.gif', '.webp', '.tif', '.tiff', '.heic', '.heif', '.avif'])

export function isImageFileName(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase())
}

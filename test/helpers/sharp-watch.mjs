// `node --import <this file>`, for tests of the image library's lazy loading:
//   MEGA_TEST_SHARP=hide         the process cannot load `sharp`, as on a machine without its optional native package;
//   MEGA_TEST_SHARP=log:<file>   each import of `sharp` appends a line to <file>, so a test sees whether it was loaded.
import {register} from 'node:module'

const hooks = `import {appendFileSync} from 'node:fs'
const mode = process.env.MEGA_TEST_SHARP ?? ''
export async function resolve(specifier, context, next) {
  if (specifier === 'sharp' && mode === 'hide') throw Object.assign(new Error("Cannot find package 'sharp' (hidden by the test)"), {code: 'ERR_MODULE_NOT_FOUND'})
  if (specifier === 'sharp' && mode.startsWith('log:')) appendFileSync(mode.slice(4), 'sharp\\n')
  return next(specifier, context)
}`
register(`data:text/javascript,${encodeURIComponent(hooks)}`)

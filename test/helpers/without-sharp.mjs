// `node --import <this file>`: the process cannot load the image library `sharp`, as on a machine where its
// optional native package is missing. Used to check that uploads and commands cope without it.
import {register} from 'node:module'

const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'sharp') throw Object.assign(new Error("Cannot find package 'sharp' (hidden by the test)"), {code: 'ERR_MODULE_NOT_FOUND'})
  return next(specifier, context)
}`
register(`data:text/javascript,${encodeURIComponent(hooks)}`)

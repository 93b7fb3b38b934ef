// The conformance fixture in one App Router catch-all: /<variant>/<fixture path>, each method
// handed to the variant's sluice app (runtimes/conformance/src/process/nextjs-entry.ts).
import { handleNextjsRoute } from '@sluice/conformance/nextjs-entry'

export const dynamic = 'force-dynamic'
export const GET = handleNextjsRoute
export const POST = handleNextjsRoute
export const PUT = handleNextjsRoute
export const PATCH = handleNextjsRoute
export const DELETE = handleNextjsRoute
export const OPTIONS = handleNextjsRoute
// Else Next answers HEAD by running GET (a stream's generator too) and dropping the body.
export const HEAD = handleNextjsRoute

// A leaf: the request as functions and the error sink see it, below every layer that reports errors.

/** What a function may know about the HTTP request that called it. */
export interface RequestInfo {
  method: string
  path: string
  /** Lowercase header names; repeated headers joined with `, `. */
  headers: Readonly<Record<string, string | undefined>>
  params: Readonly<Record<string, string>>
}

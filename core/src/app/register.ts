// A leaf: the types an app registers, read by functions and middleware alike.

/**
 * Declaration-merge this to type `services`, `session` and app-wide middleware `vars` everywhere:
 * `declare module '@sluice/core' { interface Register { services: MyServices; session: MySession } }`
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Register {}

/** The services type registered through `Register`, else a loose record. */
export type Services = Register extends { services: infer S } ? S : Record<string, unknown>
/** The session type registered through `Register`, else `unknown`. */
export type Session = Register extends { session: infer S } ? S : unknown

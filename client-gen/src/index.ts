/**
 * `@sluice/client-gen`: the `sluice` CLI (typed fetch client, OpenAPI export). Not built yet; the client
 * runtime generated clients use lives at `@sluice/client-gen/runtime`.
 */
export {}

// A module of its own: respond.ts and cors.ts both need it, and cors.ts must not import respond.ts
// (which imports the app's types, which import cors.ts).

/** Names a stream's heartbeat period, so a client can tell a dead connection from a quiet one. */
export const HEARTBEAT_HEADER = 'sluice-heartbeat-ms'

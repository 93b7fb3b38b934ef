/** @sluice/core: define functions, wire them to HTTP, stream with generators or a channel. */
export { createApp, defaults } from './app/create-app'
export type { App, AppOptions, Limits, StreamOptions } from './app/create-app'
export type { CorsOptions } from './http/cors'
export { defineFunction } from './app/define-function'
export type {
  AnyFunction,
  Channel,
  ErrorFactory,
  ErrorSpec,
  ErrorSpecs,
  EventGenerator,
  EventSchemas,
  FunctionContext,
  FunctionDefinition,
  KindEvent,
  KindEvents,
  KindYield,
  Register,
  RequestInfo,
  Services,
  Session,
  SessionFor,
  SluiceFunction,
  SuccessStatus,
} from './app/define-function'
export type { DeclaredError, RouteContract } from './app/route-contract'
export { wireHTTP } from './app/wire-http'
export type { Method, Route, RouteDocs, WireOptions } from './app/wire-http'
export { WireError, toErrorBody, toWireError } from './errors/wire-error'
export type { WireErrorBody, WireErrorOptions } from './errors/wire-error'
export { statusByCode, toStatus } from './errors/status-table'
export type { KnownErrorCode } from './errors/status-table'
export type { Infer, JsonSchema, Schema } from './schema/schema'
export type { Issue } from './schema/validate'
export { withEvent, isEventId, eventIdPattern, EventEnvelope } from './stream/with-event'
export type { EventFields } from './stream/with-event'
export { encodeEvent, encodeComment } from './stream/encode'
export { toJsonSchema } from './schema/to-json-schema'
export type { SchemaSide } from './schema/to-json-schema'
export { routeNames } from './app/route-names'
export { toOpenAPI, toRouteKind, type OpenAPIOptions, type OpenAPIVersion, type RouteKind } from './openapi'
export { closeApp } from './app/close-app'
export type { CloseOptions } from './app/close-app'
export {
  createMemoryHub,
  hubDefaults,
  pipeToChannel,
  HubEvent,
  ReplayGapError,
  SlowConsumerError,
} from './hub'
export type {
  EventHub,
  HubStats,
  MemoryHubOptions,
  PipeOptions,
  SubscribeOptions,
  Subscription,
  TopicMap,
} from './hub'
// What hub implementations need (the subscription iterator, the shared checks, the fan-out queue) is
// in `@sluice/core/hub`; the suite every hub passes is in `@sluice/core/testing`.
export { defineMiddleware } from './middleware/define-middleware'
export type {
  AddedVars,
  Answer,
  AnyMiddleware,
  Middleware,
  MiddlewareContext,
  MiddlewareDefinition,
  Next,
  Vars,
} from './middleware/define-middleware'
export { consoleLogger, toErrorRecord, type Logger } from './observe/logger'
export { createAccessLog, type AccessLogOptions } from './observe/access-log'
export type {
  ObservedEnd,
  ObservedEvent,
  ObservedRequest,
  ObservedRoute,
  Probe,
  RequestObserver,
} from './observe/observer'
export type { EndReason } from './observe/end-reasons'

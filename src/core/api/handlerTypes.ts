import type { ApiMethod, ApiOutput, ApiParsedInput } from '../../shared/api'

export type Handler<M extends ApiMethod> = (input: ApiParsedInput<M>) => Promise<ApiOutput<M>>
export type Handlers = { [M in ApiMethod]: Handler<M> }
/** A group of handlers for one part of the contract; the groups together must cover it all. */
export type HandlerGroup<M extends ApiMethod> = { [K in M]: Handler<K> }

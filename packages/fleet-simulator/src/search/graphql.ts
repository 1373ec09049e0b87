import type { IncomingMessage, ServerResponse } from 'http';
import {
  buildSchema,
  graphql,
  GraphQLScalarType,
  GraphQLSchema,
  Kind,
  ValueNode,
} from 'graphql';
import { SimContext } from '../context';
import {
  bearerToken,
  cookie,
  readRawBody,
  sendJson,
  sendText,
} from '../http/util';
import {
  applyLimit,
  DEFAULT_LIMIT,
  related,
  runSearch,
  SearchInput,
} from './engine';

/**
 * ACM Search v2 GraphQL endpoint (POST /searchapi/graphql, GET with ?query= too).
 * The SDL below is written from the published API description (the Query type and its
 * inputs); the subscription is not simulated.
 */
const SDL = `
  scalar Map
  scalar Date
  input SearchFilter { property: String! values: [String]! }
  input SearchInput { keywords: [String] filters: [SearchFilter] limit: Int offset: Int orderBy: String relatedKinds: [String] }
  type SearchRelatedResult { kind: String! count: Int items: [Map] }
  type SearchResult { count: Int items: [Map] related: [SearchRelatedResult] }
  type Message { id: String! kind: String description: String }
  type Query {
    search(input: [SearchInput]): [SearchResult]
    searchComplete(property: String!, query: SearchInput, limit: Int): [String]
    searchSchema(query: SearchInput): Map
    messages: [Message]
  }
`;

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.OBJECT:
      return Object.fromEntries(
        ast.fields.map(f => [f.name.value, literal(f.value)]),
      );
    case Kind.LIST:
      return ast.values.map(literal);
    default:
      return null;
  }
}

let schema: GraphQLSchema | undefined;
function getSchema(): GraphQLSchema {
  if (schema) return schema;
  schema = buildSchema(SDL);
  const map = schema.getType('Map') as GraphQLScalarType;
  map.serialize = (v: unknown) => v;
  map.parseValue = (v: unknown) => v;
  map.parseLiteral = literal as any;
  const date = schema.getType('Date') as GraphQLScalarType;
  date.serialize = (v: unknown) => v;
  return schema;
}

function root(ctx: SimContext) {
  return {
    search: ({ input }: { input?: (SearchInput | null)[] | null }) =>
      (input ?? []).map(inp => {
        const q = inp ?? {};
        let all: ReturnType<typeof runSearch> | undefined;
        const matches = () => (all ??= runSearch(ctx, q));
        // fields resolve lazily: a count-only query never builds the item list
        return {
          count: () => matches().length,
          items: () => applyLimit(matches(), q),
          related: () =>
            related(
              ctx,
              applyLimit(matches(), q),
              (q.relatedKinds ?? []).filter((k): k is string => !!k),
            ),
        };
      }),
    searchComplete: ({
      property,
      query,
      limit,
    }: {
      property: string;
      query?: SearchInput;
      limit?: number;
    }) => {
      const values = new Set<string>();
      for (const it of runSearch(ctx, { ...(query ?? {}), limit: -1 }))
        if (it[property] !== undefined) values.add(it[property]);
      const sorted = [...values].sort();
      const l = limit ?? DEFAULT_LIMIT;
      return l < 0 ? sorted : sorted.slice(0, l);
    },
    searchSchema: ({ query }: { query?: SearchInput }) => {
      const props = new Set<string>();
      for (const it of runSearch(ctx, { ...(query ?? {}), limit: -1 }))
        for (const k of Object.keys(it)) props.add(k);
      return { allProperties: [...props].sort() };
    },
    messages: () => [],
  };
}

export async function handleSearch(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) {
  ctx.counters.inc('search');
  const token = bearerToken(req) ?? cookie(req, 'acm-access-token-cookie');
  if (!token) {
    ctx.counters.inc('errors.auth');
    return sendText(
      res,
      401,
      `${JSON.stringify({
        message: "Request didn't have a valid authentication token.",
      })}\n`,
    );
  }
  if (!ctx.tokens.check(token).ok) {
    ctx.counters.inc('errors.auth');
    // the TokenReview said "not authenticated"
    return sendText(
      res,
      403,
      `${JSON.stringify({ message: 'Invalid token' })}\n`,
    );
  }
  let body: any;
  if (req.method === 'POST') {
    const raw = await readRawBody(req);
    try {
      body = JSON.parse(raw);
    } catch (e) {
      return sendJson(res, 400, {
        errors: [
          {
            message: `json request body could not be decoded: ${
              (e as Error).message
            }`,
          },
        ],
        data: null,
      });
    }
  } else if (req.method === 'GET') {
    let variables: unknown;
    try {
      variables = url.searchParams.get('variables')
        ? JSON.parse(url.searchParams.get('variables')!)
        : undefined;
    } catch {
      return sendJson(res, 400, {
        errors: [{ message: 'variables could not be decoded' }],
        data: null,
      });
    }
    body = {
      query: url.searchParams.get('query'),
      operationName: url.searchParams.get('operationName'),
      variables,
    };
  } else {
    return sendJson(res, 405, {
      errors: [{ message: 'unsupported HTTP method' }],
      data: null,
    });
  }
  if (
    !body ||
    typeof body !== 'object' ||
    typeof body.query !== 'string' ||
    !body.query.trim()
  ) {
    return sendJson(res, 422, {
      errors: [{ message: 'no operation provided' }],
      data: null,
    });
  }
  const result = await graphql({
    schema: getSchema(),
    source: body.query,
    rootValue: root(ctx),
    variableValues:
      body.variables && typeof body.variables === 'object'
        ? body.variables
        : undefined,
    operationName:
      typeof body.operationName === 'string' && body.operationName
        ? body.operationName
        : undefined,
  });
  // parse/validation errors come back without data: gqlgen answers those with 422
  const status = result.errors && result.data === undefined ? 422 : 200;
  return sendJson(res, status, {
    ...(result.errors
      ? {
          errors: result.errors.map(e => ({
            message: e.message,
            ...(e.path ? { path: e.path } : {}),
            ...(e.locations ? { locations: e.locations } : {}),
          })),
        }
      : {}),
    data: result.data ?? null,
  });
}

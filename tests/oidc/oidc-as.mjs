// A real OAuth 2.0 / OIDC authorization server (panva's oidc-provider) for agentid's
// integration tests. Usage: node oidc-as.mjs PORT STATE_DIR
//
// Issuer http://127.0.0.1:PORT; prints `ready <issuer>` on stdout once listening; exits 0 on
// SIGTERM/SIGINT and 98 when the port is taken (the Rust harness then retries another port).
// Keys live in STATE_DIR/keys.json, so a restart on the same STATE_DIR keeps them.
// Loopback-only test endpoints (JSON in, JSON out) rotate and retire keys, sign arbitrary
// claims and trust other issuers: see README.md beside this file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';

import * as jose from 'jose';
import Provider, { errors } from 'oidc-provider';

const [portArg, stateDir] = process.argv.slice(2);
const port = Number(portArg);
if (!Number.isInteger(port) || port <= 0 || port > 65535 || !stateDir) {
  console.error('usage: node oidc-as.mjs PORT STATE_DIR');
  process.exit(2);
}
fs.mkdirSync(stateDir, { recursive: true });
const issuer = `http://127.0.0.1:${port}`;

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TT = 'urn:ietf:params:oauth:token-type:';
const DEFAULT_RESOURCE = 'urn:agentid:test-api';
const RESOURCE_SCOPE = 'read write admin';
const KID_RESOURCE = 'urn:agentid:kid:'; // + kid: a token signed by that published key
const ALGS = { ES256: ['ec', { namedCurve: 'P-256' }], RS256: ['rsa', { modulusLength: 2048 }] };
const generateKeyPair = promisify(crypto.generateKeyPair);

// ---------------------------------------------------------------- state files (0600, atomic)
const file = (name) => path.join(stateDir, name);
function readJson(name) {
  try {
    return JSON.parse(fs.readFileSync(file(name), 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  }
}
function writeJson(name, value) {
  const tmp = file(`.${name}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file(name));
}
async function newKey(alg, kid) {
  const [type, options] = ALGS[alg];
  const { privateKey } = await generateKeyPair(type, options);
  return { ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
}
const kidFor = (alg, generation) => `as-${alg.toLowerCase()}${generation > 1 ? `-${generation}` : ''}`;
const publicJwk = ({ d, p, q, dp, dq, qi, ...pub }) => pub;

// keys.json: { generation, keys: [published, the first of each alg signs], retired: [unpublished] }
let state = readJson('keys.json');
if (!state) {
  state = {
    generation: 1,
    keys: await Promise.all(Object.keys(ALGS).map((alg) => newKey(alg, kidFor(alg, 1)))),
    retired: [],
  };
  writeJson('keys.json', state);
}
let client = readJson('agent-pkjwt.private.jwk.json');
if (!client) {
  client = await newKey('ES256', 'agent-pkjwt-es256');
  writeJson('agent-pkjwt.private.jwk.json', client);
}
const trusted = readJson('trusted.json') ?? {}; // issuer -> public JWKS, for exchange/jwt-bearer

function status() {
  const signing = {};
  for (const k of state.keys) signing[k.alg] ??= k.kid;
  return {
    issuer,
    generation: state.generation,
    signing,
    published: state.keys.map((k) => k.kid),
    retired: state.retired.map((k) => k.kid),
  };
}

// ---------------------------------------------------------------- provider
const pendingExtra = new WeakMap(); // AccessToken -> extra claims (constructor `extra` is dropped)

function resourceServerInfo(resource) {
  const info = (alg, kid) => ({
    scope: RESOURCE_SCOPE,
    audience: resource,
    accessTokenFormat: 'jwt',
    accessTokenTTL: 600,
    jwt: { sign: { alg, ...(kid ? { kid } : {}) } },
  });
  if (resource === DEFAULT_RESOURCE) return info('ES256');
  if (resource === `${DEFAULT_RESOURCE}-rs`) return info('RS256');
  if (resource.startsWith(KID_RESOURCE)) {
    const key = state.keys.find((k) => k.kid === resource.slice(KID_RESOURCE.length));
    if (key) return info(key.alg, key.kid);
  }
  throw new errors.InvalidTarget(`unknown resource ${resource}`);
}

const fail = (error, description) => new errors.CustomOIDCProviderError(error, description);

// Verifies a JWT from this AS (currently published keys) or from a trusted issuer.
async function verifyToken(token, what) {
  if (typeof token !== 'string' || !token) throw fail('invalid_request', `${what} is required`);
  let iss;
  try {
    ({ iss } = jose.decodeJwt(token));
  } catch {
    throw fail('invalid_grant', `${what} is not a JWT`);
  }
  const jwks = iss === issuer ? { keys: state.keys.map(publicJwk) } : trusted[iss];
  if (!jwks) throw fail('invalid_grant', `${what} issuer ${iss} is not trusted`);
  try {
    const { payload } = await jose.jwtVerify(token, jose.createLocalJWKSet(jwks), {
      issuer: iss,
      requiredClaims: ['sub', 'exp'],
      algorithms: ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'],
    });
    return payload;
  } catch (err) {
    throw fail('invalid_grant', `${what}: ${err.message}`);
  }
}

async function issueAccessToken(ctx, { accountId, scope, resource, extra, gty }) {
  const provider = ctx.oidc.provider;
  const { client: requester } = ctx.oidc;
  const rs = new provider.ResourceServer(resource, resourceServerInfo(resource));
  const granted = (scope ?? '').split(' ').filter((s) => rs.scopes.has(s)).join(' ') || undefined;
  const grant = new provider.Grant({ accountId, clientId: requester.clientId });
  if (granted) grant.addResourceScope(resource, granted);
  const grantId = await grant.save();
  const at = new provider.AccessToken({ accountId, client: requester, grantId, gty, scope: granted });
  at.resourceServer = rs;
  if (extra) pendingExtra.set(at, extra);
  const value = await at.save();
  return { access_token: value, token_type: 'Bearer', expires_in: at.expiration, scope: granted };
}

// RFC 8693 token exchange: subject (and optional actor) token from this AS or a trusted issuer.
async function tokenExchange(ctx) {
  const p = ctx.oidc.params;
  const tokenTypes = [`${TT}access_token`, `${TT}jwt`, `${TT}id_token`];
  if (!tokenTypes.includes(p.subject_token_type)) {
    throw fail('invalid_request', 'unsupported subject_token_type');
  }
  if (p.actor_token && !tokenTypes.includes(p.actor_token_type)) {
    throw fail('invalid_request', 'unsupported actor_token_type');
  }
  const requested = p.requested_token_type ?? `${TT}access_token`;
  if (![`${TT}access_token`, `${TT}jwt`].includes(requested)) {
    throw fail('invalid_request', 'unsupported requested_token_type');
  }
  const subject = await verifyToken(p.subject_token, 'subject_token');
  const actor = p.actor_token ? await verifyToken(p.actor_token, 'actor_token') : undefined;
  let act = subject.act;
  if (actor) {
    const mayAct = subject.may_act;
    if (mayAct && (mayAct.sub !== actor.sub || (mayAct.iss && mayAct.iss !== actor.iss))) {
      throw fail('invalid_grant', 'actor_token is not allowed by the subject token may_act');
    }
    act = { sub: actor.sub, ...(actor.iss !== issuer ? { iss: actor.iss } : {}), ...(subject.act ? { act: subject.act } : {}) };
  }
  const body = await issueAccessToken(ctx, {
    accountId: subject.sub,
    scope: p.scope ?? subject.scope,
    resource: p.resource ?? p.audience ?? DEFAULT_RESOURCE,
    extra: act ? { act } : undefined,
    gty: 'token-exchange',
  });
  ctx.body = { ...body, issued_token_type: requested };
}

// RFC 7523 section 2.1: a JWT assertion as the grant; sub becomes the token's subject.
async function jwtBearer(ctx) {
  const p = ctx.oidc.params;
  const claims = await verifyToken(p.assertion, 'assertion');
  const aud = [claims.aud].flat();
  if (!aud.includes(issuer) && !aud.includes(ctx.oidc.provider.urlFor('token'))) {
    throw fail('invalid_grant', 'assertion aud must be the issuer or the token endpoint');
  }
  ctx.body = await issueAccessToken(ctx, {
    accountId: claims.sub,
    scope: p.scope,
    resource: p.resource ?? DEFAULT_RESOURCE,
    gty: 'jwt-bearer',
  });
}

function buildProvider() {
  const grantTypes = ['client_credentials', TOKEN_EXCHANGE, JWT_BEARER];
  const provider = new Provider(issuer, {
    jwks: { keys: state.keys },
    clients: [
      {
        client_id: 'agent-cc',
        client_secret: 'agent-cc-secret',
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: grantTypes,
        redirect_uris: [],
        response_types: [],
      },
      {
        client_id: 'agent-pkjwt',
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [publicJwk(client)] },
        grant_types: grantTypes,
        redirect_uris: [],
        response_types: [],
      },
    ],
    scopes: ['openid', ...RESOURCE_SCOPE.split(' ')],
    cookies: { keys: ['agentid-test-cookie-key'] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => DEFAULT_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => resourceServerInfo(resource),
      },
    },
    extraTokenClaims: (_ctx, token) => pendingExtra.get(token),
  });
  provider.registerGrantType(TOKEN_EXCHANGE, tokenExchange, [
    'subject_token', 'subject_token_type', 'actor_token', 'actor_token_type',
    'requested_token_type', 'audience', 'resource', 'scope',
  ]);
  provider.registerGrantType(JWT_BEARER, jwtBearer, ['assertion', 'scope', 'resource']);
  for (const event of ['grant.error', 'server_error']) {
    provider.on(event, (_ctx, err) => {
      console.error(`${event}: ${err.error ?? err.message}: ${err.error_description ?? ''} ${err.error_detail ?? ''}`);
    });
  }
  return provider.callback();
}

let handle = buildProvider();

// ---------------------------------------------------------------- test endpoints
async function rotate({ keep_old: keepOld = true, algs = Object.keys(ALGS) } = {}) {
  if (!Array.isArray(algs) || algs.some((a) => !ALGS[a])) throw new Error(`algs must be a subset of ${Object.keys(ALGS)}`);
  const generation = state.generation + 1;
  const fresh = await Promise.all(algs.map((alg) => newKey(alg, kidFor(alg, generation))));
  const rotated = state.keys.filter((k) => algs.includes(k.alg));
  state = {
    generation,
    keys: [...fresh, ...state.keys.filter((k) => keepOld || !algs.includes(k.alg))],
    retired: [...state.retired, ...(keepOld ? [] : rotated)],
  };
}

function retire({ kids } = {}) {
  const signing = new Set(Object.values(status().signing));
  const drop = kids ?? state.keys.map((k) => k.kid).filter((kid) => !signing.has(kid));
  const unknown = drop.filter((kid) => !state.keys.some((k) => k.kid === kid));
  if (unknown.length) throw new Error(`not published: ${unknown.join(', ')}`);
  const left = state.keys.filter((k) => !drop.includes(k.kid));
  const bare = Object.keys(ALGS).filter((alg) => !left.some((k) => k.alg === alg));
  if (bare.length) throw new Error(`that would leave no ${bare.join(', ')} key: rotate first`);
  state = {
    ...state,
    keys: left,
    retired: [...state.retired, ...state.keys.filter((k) => drop.includes(k.kid))],
  };
}

async function sign({ kid, claims = {}, header = {} } = {}) {
  const key = kid
    ? [...state.keys, ...state.retired].find((k) => k.kid === kid)
    : state.keys.find((k) => k.alg === 'ES256');
  if (!key) throw new Error(`no key with kid ${kid}`);
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: issuer, iat: now, exp: now + 300, ...claims };
  for (const [name, value] of Object.entries(payload)) if (value === null) delete payload[name];
  const token = await new jose.SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid, ...header })
    .sign(await jose.importJWK(key, key.alg));
  return { token };
}

async function admin(req, res) {
  let body = '';
  for await (const chunk of req) body += chunk;
  const input = body.trim() ? JSON.parse(body) : {};
  const route = `${req.method} ${new URL(req.url, issuer).pathname}`;
  switch (route) {
    case 'GET /test/state':
      return status();
    case 'POST /test/rotate':
      await rotate(input);
      break;
    case 'POST /test/retire':
      retire(input);
      break;
    case 'POST /test/sign':
      return sign(input);
    case 'POST /test/client-assertion': {
      // private_key_jwt assertion for agent-pkjwt, as a client library would make it.
      const now = Math.floor(Date.now() / 1000);
      const token = await new jose.SignJWT({ jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: 'ES256', kid: client.kid })
        .setIssuer('agent-pkjwt').setSubject('agent-pkjwt')
        .setAudience(input.aud ?? issuer).setIssuedAt(now).setExpirationTime(now + 60)
        .sign(await jose.importJWK(client, 'ES256'));
      return { token };
    }
    case 'POST /test/trust':
      if (typeof input.issuer !== 'string' || !Array.isArray(input.jwks?.keys)) {
        throw new Error('body must be {"issuer": "...", "jwks": {"keys": [...]}}');
      }
      trusted[input.issuer] = { keys: input.jwks.keys.map(publicJwk) };
      writeJson('trusted.json', trusted);
      return { trusted: Object.keys(trusted) };
    default:
      res.statusCode = 404;
      return { error: `no test endpoint ${route}` };
  }
  writeJson('keys.json', state);
  handle = buildProvider();
  return status();
}

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const server = http.createServer((req, res) => {
  if (!req.url.startsWith('/test/')) return handle(req, res);
  res.setHeader('content-type', 'application/json');
  if (!loopback.has(req.socket.remoteAddress)) {
    res.statusCode = 403;
    return res.end('{"error":"test endpoints are loopback-only"}\n');
  }
  admin(req, res).then(
    (out) => res.end(`${JSON.stringify(out)}\n`),
    (err) => {
      res.statusCode = 400;
      res.end(`${JSON.stringify({ error: err.message })}\n`);
    },
  );
});

server.on('error', (err) => {
  console.error(`oidc-as: cannot listen on 127.0.0.1:${port}: ${err.code ?? err.message}`);
  process.exit(err.code === 'EADDRINUSE' ? 98 : 3);
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.env.OIDC_AS_EXIT_ON_STDIN_EOF === '1') {
  // The test harness holds our stdin open: if the test process dies, so do we.
  process.stdin.on('end', stop).on('error', stop).resume();
}

// The MetalPro API client: the generated types (schema.d.ts, from the served OpenAPI
// document) behind openapi-fetch, with the storefront's sign-in flow: the access token as
// a Bearer header, one refresh and retry on a 401, and credentials on every call so the
// guest session cookie travels with it.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths } from "./schema.js";

/** A schema of the API by name: `Schema<"Cart">`, `Schema<"RFQ">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

/** The access and refresh tokens signup, login and refresh answer with. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** Where the client keeps the tokens (memory by default; the storefront may use storage). */
export interface TokenStore {
  get(): Tokens | null;
  set(tokens: Tokens | null): void;
}

/** An in-memory TokenStore. */
export function memoryTokenStore(initial: Tokens | null = null): TokenStore {
  let tokens = initial;
  return { get: () => tokens, set: (t) => { tokens = t; } };
}

export interface MetalProClientOptions {
  /** The API's origin, e.g. "https://api.metalpro.ro" (paths start with /api). */
  baseUrl: string;
  tokens?: TokenStore;
  /** The fetch to use (tests pass one that keeps cookies, as a browser does). */
  fetch?: (input: Request) => Promise<Response>;
  /** Called when a refresh fails: the session is over, sign in again. */
  onSignedOut?: () => void;
  /** Accept-Language for every call ("ro" by default on the server). */
  language?: "ro" | "en";
}

export interface MetalProClient {
  /** The typed client: api.GET("/api/cart"), api.POST("/api/rfq", { body }), ... */
  api: Client<paths>;
  tokens: TokenStore;
  /** Exchanges the refresh token for a new pair; false (and signed out) when refused. */
  refresh(): Promise<boolean>;
}

// Calls that must not trigger a refresh: they are how one gets (or gives up) tokens.
const noRefresh = ["/api/auth/login", "/api/auth/signup", "/api/auth/refresh", "/api/auth/logout"];

/** Creates the client. Sign-in responses store their tokens; logout clears them. */
export function createMetalProClient(options: MetalProClientOptions): MetalProClient {
  const tokens = options.tokens ?? memoryTokenStore();
  const baseFetch = options.fetch ?? ((input: Request) => globalThis.fetch(input));
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  let refreshing: Promise<boolean> | null = null;

  const send = (request: Request, accessToken: string | undefined): Promise<Response> => {
    const r = new Request(request);
    if (accessToken) r.headers.set("Authorization", `Bearer ${accessToken}`);
    if (options.language) r.headers.set("Accept-Language", options.language);
    return baseFetch(r);
  };

  // Two calls that get a 401 together share one refresh: a refresh token works once.
  const refresh = (): Promise<boolean> => {
    refreshing ??= (async () => {
      const current = tokens.get();
      if (!current) return false;
      const res = await send(
        new Request(`${baseUrl}/api/auth/refresh`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ refreshToken: current.refreshToken }),
          credentials: "include",
        }),
        undefined,
      );
      if (!res.ok) {
        tokens.set(null);
        options.onSignedOut?.();
        return false;
      }
      const body = (await res.json()) as { tokens: Tokens };
      tokens.set(body.tokens);
      return true;
    })().finally(() => { refreshing = null; });
    return refreshing;
  };

  const authFetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    const retry = request.clone(); // the body of the first attempt is spent
    const sentToken = tokens.get()?.accessToken;
    let res = await send(request, sentToken);
    if (res.status === 401 && sentToken && !noRefresh.includes(path)) {
      if (await refresh()) res = await send(retry, tokens.get()?.accessToken);
    }
    await remember(path, res);
    return res;
  };

  // Sign-in answers carry the tokens; a logout ends them.
  const remember = async (path: string, res: Response): Promise<void> => {
    if (path === "/api/auth/logout" && (res.ok || res.status === 401)) {
      tokens.set(null);
      return;
    }
    if (!res.ok || !["/api/auth/login", "/api/auth/signup", "/api/auth/refresh"].includes(path)) return;
    const body = (await res.clone().json()) as { tokens?: Tokens };
    if (body.tokens) tokens.set(body.tokens);
  };

  const api = createClient<paths>({ baseUrl, credentials: "include", fetch: authFetch });
  return { api, tokens, refresh };
}

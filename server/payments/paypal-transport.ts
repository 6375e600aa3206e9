/*
 * The PayPal SDK has no base-URL option: its environments are fixed to api-m(.sandbox).paypal.com.
 * It does pass `unstable_httpClientOptions` to axios.create(), and axios takes an `adapter`, the
 * function that performs the request. This adapter sends every request to the provider fake
 * instead, with fetch, keeping method, path, query, headers and body. Used in fake mode only.
 */

interface AxiosLikeConfig {
  url?: string;
  method?: string;
  headers?: unknown;
  data?: unknown;
  timeout?: number;
  auth?: { username: string; password?: string };
  signal?: AbortSignal;
  cancelToken?: { promise: Promise<unknown> };
}

export function fakeTransport(baseUrl: string) {
  const base = new URL(baseUrl);
  return async function adapter(config: AxiosLikeConfig) {
    const original = new URL(config.url ?? "/");
    const url = new URL(`${original.pathname}${original.search}`, base);
    const signals: AbortSignal[] = [];
    if (config.signal) signals.push(config.signal);
    if (config.timeout) signals.push(AbortSignal.timeout(config.timeout));
    if (config.cancelToken) {
      const cancelled = new AbortController();
      void config.cancelToken.promise.then(() => cancelled.abort());
      signals.push(cancelled.signal);
    }
    const headers = plainHeaders(config.headers);
    if (config.auth) {
      const credentials = `${config.auth.username}:${config.auth.password ?? ""}`;
      headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    }
    const response = await fetch(url, {
      method: (config.method ?? "get").toUpperCase(),
      headers,
      body: typeof config.data === "string" ? config.data : undefined,
      signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
    });
    return {
      data: await response.text(),
      status: response.status,
      statusText: response.statusText,
      headers: Object.fromEntries(response.headers),
      config,
      request: {},
    };
  };
}

function plainHeaders(headers: unknown): Record<string, string> {
  const source =
    headers && typeof (headers as { toJSON?: unknown }).toJSON === "function"
      ? (headers as { toJSON(): Record<string, unknown> }).toJSON()
      : ((headers ?? {}) as Record<string, unknown>);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && value !== null && value !== false) out[name.toLowerCase()] = String(value);
  }
  return out;
}

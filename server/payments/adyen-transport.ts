import https from "node:https";
import { HttpClientException, type Config } from "@adyen/api-library";
import type { IRequest } from "@adyen/api-library/lib/src/typings/requestOptions";

/*
 * The Adyen SDK builds HTTPS URLs on fixed hosts (checkout-test.adyen.com, …). In fake mode its
 * Client gets this HTTP client instead of its own: the same request (X-API-Key, Idempotency-Key,
 * JSON body) sent to the fake's origin, trusting the fake's self-signed certificate for these
 * requests only, and failing the way the SDK's client fails (HttpClientException with the API
 * error) so the adapter classifies both alike.
 */

export class FakeAdyenHttpClient {
  private readonly agent: https.Agent;

  constructor(
    private readonly baseUrl: string,
    ca: string | Buffer,
  ) {
    this.agent = new https.Agent({ ca, keepAlive: true });
  }

  request(
    endpoint: string,
    json: string | Buffer,
    config: Config,
    _isApiKeyRequired: boolean,
    requestOptions: IRequest.Options = {},
  ): Promise<string> {
    const original = new URL(endpoint);
    const url = new URL(`${original.pathname}${original.search}`, this.baseUrl);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-api-key": config.apiKey ?? "",
      ...(requestOptions.headers as Record<string, string> | undefined),
    };
    if (requestOptions.idempotencyKey) headers["idempotency-key"] = requestOptions.idempotencyKey;
    return new Promise((resolve, reject) => {
      const req = https.request(url, {
        method: requestOptions.method ?? "POST",
        headers,
        agent: this.agent,
        signal: requestOptions.signal,
        timeout: config.connectionTimeoutMillis,
      });
      req.on("timeout", () => req.destroy(new Error("Adyen request timed out")));
      req.on("error", reject);
      req.on("response", (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("error", reject);
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(body);
          let apiError: { status?: number; errorCode?: string; message?: string } | undefined;
          try {
            apiError = JSON.parse(body) as typeof apiError;
          } catch {
            apiError = undefined;
          }
          reject(
            new HttpClientException({
              message: `HTTP Exception: ${status}. ${apiError?.message ?? res.statusMessage ?? ""}`,
              statusCode: apiError?.status ?? status,
              errorCode: apiError?.errorCode,
              responseHeaders: res.headers,
              responseBody: body,
              apiError: apiError as never,
            }),
          );
        });
      });
      req.end(json);
    });
  }
}

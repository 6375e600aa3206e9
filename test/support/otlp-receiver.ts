import http from "node:http";

/*
 * An in-process OTLP/HTTP trace receiver (JSON, as @opentelemetry/exporter-trace-otlp-http sends
 * it) for the tracing tests: every span any process exported to `url`, with the service that sent it.
 */

export type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean };
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP's numbering: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean | undefined>;
}
export const SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

type Span = { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: { key: string; value: OtlpValue }[] };
type Export = { resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: Span[] }[] }[] };

export interface OtlpReceiver {
  /** The base address, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  spans: ReceivedSpan[];
  /** The spans of one trace. */
  trace(traceId: string): ReceivedSpan[];
  /** Whether `span` descends from `ancestor` through the spans received. */
  under(span: ReceivedSpan, ancestor: ReceivedSpan): boolean;
  close(): Promise<void>;
}

const valueOf = (v: OtlpValue) => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : v.boolValue);

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.url === "/v1/traces" && (req.headers["content-type"] ?? "").includes("json")) {
        for (const rs of (JSON.parse(body) as Export).resourceSpans) {
          const service = String(rs.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue ?? "?");
          for (const ss of rs.scopeSpans) {
            for (const s of ss.spans) {
              spans.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, kind: s.kind, attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, valueOf(a.value)])) });
            }
          }
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const byId = () => new Map(spans.map((s) => [s.spanId, s]));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    spans,
    trace: (traceId) => spans.filter((s) => s.traceId === traceId),
    under(span, ancestor) {
      const ids = byId();
      for (let p = span.parentSpanId ? ids.get(span.parentSpanId) : undefined; p; p = p.parentSpanId ? ids.get(p.parentSpanId) : undefined) if (p.spanId === ancestor.spanId) return true;
      return false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

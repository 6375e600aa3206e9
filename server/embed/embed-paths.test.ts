import { describe, expect, it } from "vitest";
import { requestOriginOf, safeEmbedPath } from "./embed-paths";

describe("where the token exchange may send the frame", () => {
  it("keeps embed pages and sends everything else to /embed", () => {
    for (const ok of ["/embed", "/embed/approvals", "/embed/approvals/4f1c2d8e-3b7a-4c1e-9f00-aa11bb22cc33", "/embed/orders/abc-123", "/embed/orders/abc/cancellations/def"]) {
      expect(safeEmbedPath(ok)).toBe(ok);
    }
    for (const bad of [null, "", "/orders/abc", "https://evil.example/embed", "//evil.example/embed", "/embed/../orders", "/embed/orders/a/b/c", "/embed/start", "/embed/orders/abc?x=1", "/embed/orders/%2e%2e"]) {
      expect(safeEmbedPath(bad), String(bad)).toBe("/embed");
    }
  });

  it("takes the request's origin from Origin, else from Referer", () => {
    expect(requestOriginOf(new Headers({ origin: "https://crm.example" }))).toBe("https://crm.example");
    expect(requestOriginOf(new Headers({ origin: "null", referer: "https://crm.example/case/1" }))).toBe("https://crm.example");
    expect(requestOriginOf(new Headers({ referer: "not a url" }))).toBeNull();
    expect(requestOriginOf(new Headers())).toBeNull();
  });
});

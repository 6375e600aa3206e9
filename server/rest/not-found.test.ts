import { expect, it } from "vitest";
import { GET, POST } from "@/app/api/v1/[...path]/route";

it("answers an unknown API path with the error model's 404", async () => {
  for (const handler of [GET, POST]) {
    const response = await handler(new Request("http://localhost/api/v1/nope/42", { method: handler === GET ? "GET" : "POST" }));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "NOT_FOUND", message: expect.stringContaining("/api/v1/nope/42") } });
  }
});

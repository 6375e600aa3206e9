import { AppError, ErrorCode } from "@/server/domain/errors";
import { httpErrorResponse } from "@/server/http/errors";
import { observedRoute } from "@/server/observability/observed-route";

// Anything under /api/v1 that is not a route: the error model's 404, not an HTML page.
const notFound = observedRoute(async (req: Request) => {
  const { pathname } = new URL(req.url);
  return httpErrorResponse(new AppError(ErrorCode.NOT_FOUND, `No API route ${req.method} ${pathname}.`));
}, "/api/v1/[...path]");

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };

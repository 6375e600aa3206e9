import { NextResponse } from "next/server";

// Anything under /api/v1 that is not a route: the error model's 404, not an HTML page.
function notFound(req: Request) {
  const { pathname } = new URL(req.url);
  return NextResponse.json({ error: { code: "NOT_FOUND", message: `No API route ${req.method} ${pathname}.` } }, { status: 404 });
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };

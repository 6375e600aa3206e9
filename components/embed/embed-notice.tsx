"use client";

import { useEffect } from "react";
import { useEmbedPost } from "./embed-bridge";

/** A full-frame message (refused token, no session, not allowed), also reported to the host as `error`. */
export function EmbedNotice({ title, message, code }: { title: string; message: string; code: string }) {
  const post = useEmbedPost();
  useEffect(() => {
    post({ type: "error", code, message });
  }, [post, code, message]);
  return (
    <div className="space-y-2">
      <h1 className="text-xl font-semibold">{title}</h1>
      <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
        {message}
      </p>
    </div>
  );
}

"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useRef, type ReactNode } from "react";
import { appErrorOf } from "../app-error";
import { embeddedPathFor } from "./embed-links";
import { EMBED_PROTOCOL, EMBED_PROTOCOL_VERSION, type EmbedPage, type FrameToHostMessage, parseHostMessage } from "./protocol";

type Post = (message: FrameToHostMessage) => void;
const BridgeContext = createContext<Post>(() => {});

/** Sends a protocol message to the host page (a no-op outside a frame). */
export function useEmbedPost(): Post {
  return useContext(BridgeContext);
}

/**
 * The frame's side of the postMessage protocol. Messages go only to `hostOrigins` (the
 * session's origin; on pages without a session, the allowlisted ones, of which the browser
 * delivers to the one that is really the parent, if any). Host messages are accepted only
 * from the parent window at one of those origins.
 */
export function EmbedBridge({
  hostOrigins,
  page,
  orderId,
  cancellationId,
  children,
}: {
  hostOrigins: string[];
  page: EmbedPage;
  orderId?: string;
  cancellationId?: string;
  children: ReactNode;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const content = useRef<HTMLDivElement>(null);
  const origins = hostOrigins.join(" ");

  const post = useCallback<Post>(
    (message) => {
      if (typeof window === "undefined" || window.parent === window) return;
      for (const origin of origins.split(" ").filter(Boolean)) {
        window.parent.postMessage({ protocol: EMBED_PROTOCOL, version: EMBED_PROTOCOL_VERSION, ...message }, origin);
      }
    },
    [origins],
  );

  useEffect(() => {
    post({ type: "ready", page, ...(orderId ? { orderId } : {}), ...(cancellationId ? { cancellationId } : {}) });
  }, [post, page, orderId, cancellationId]);

  // The host sizes the frame to the content, so the content is measured (not the viewport,
  // which would only ever grow).
  useEffect(() => {
    const element = content.current;
    if (!element) return;
    let last = -1;
    const report = () => {
      const height = Math.ceil(element.getBoundingClientRect().height);
      if (height !== last) {
        last = height;
        post({ type: "resize", height });
      }
    };
    const observer = new ResizeObserver(report);
    observer.observe(element);
    report();
    return () => observer.disconnect();
  }, [post]);

  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window.parent || !origins.split(" ").includes(event.origin)) return;
      const message = parseHostMessage(event.data);
      if (message?.type === "open-order") router.push(`/embed/orders/${encodeURIComponent(message.orderId)}`);
    };
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [origins, router]);

  // A shared component's link into the full app goes to its embedded equivalent instead (or, when
  // there is none, to a new tab): a full-app page would only be refused by frame-ancestors.
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>("a[href]") : null;
      if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
      const url = new URL(anchor.href);
      if (url.origin !== window.location.origin || url.pathname === "/embed" || url.pathname.startsWith("/embed/")) return;
      event.preventDefault();
      event.stopPropagation();
      const embedded = embeddedPathFor(url.pathname);
      if (embedded) router.push(`${embedded}${url.search}`);
      else window.open(url.href, "_blank", "noopener");
    };
    // Capture, so this runs before next/link's own click handler.
    document.addEventListener("click", onClick, true);
    return () => document.removeEventListener("click", onClick, true);
  }, [router]);

  // Once the session has expired every call answers UNAUTHENTICATED: tell the host once, so it
  // can mint a new token.
  useEffect(() => {
    let told = false;
    const check = (error: unknown) => {
      if (!told && error && appErrorOf(error)?.code === "UNAUTHENTICATED") {
        told = true;
        post({ type: "error", code: "SESSION_EXPIRED", message: "The embedded session has ended; open the screen again." });
      }
    };
    const queries = queryClient.getQueryCache().subscribe((e) => check(e.query.state.error));
    const mutations = queryClient.getMutationCache().subscribe((e) => check(e.mutation?.state.error));
    return () => {
      queries();
      mutations();
    };
  }, [queryClient, post]);

  return (
    <BridgeContext.Provider value={post}>
      <div ref={content}>{children}</div>
    </BridgeContext.Provider>
  );
}

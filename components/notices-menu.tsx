"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { LocalTime } from "./local-time";
import { useTRPC } from "./trpc";

/** Notices change when someone decides or requests: every 15 s is soon enough, and cheap. */
const POLL_MS = 15_000;

/** The navigation's notices: an unread count, and a list with read/unread that opens on click. */
export function NoticesMenu() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const notices = useQuery({ ...trpc.notices.list.queryOptions(), refetchInterval: POLL_MS, refetchIntervalInBackground: false });
  const markRead = useMutation({
    ...trpc.notices.markRead.mutationOptions(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.notices.list.queryKey() }),
  });
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !panel.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  const unread = notices.data?.unread ?? 0;
  const list = notices.data?.notices ?? [];
  return (
    <div ref={panel} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="notices-panel"
        onClick={() => setOpen((o) => !o)}
        className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100"
      >
        Notices
        {unread > 0 && (
          <span data-testid="notices-unread" className="ml-1 rounded-full bg-red-700 px-1.5 py-0.5 text-xs font-semibold text-white">
            {unread}
            <span className="sr-only"> unread</span>
          </span>
        )}
      </button>
      {open && (
        <div id="notices-panel" role="region" aria-label="Notices" className="absolute right-0 z-20 mt-1 w-80 rounded-lg border border-slate-200 bg-white p-2 shadow-lg">
          <div className="flex items-center justify-between px-2 py-1">
            <span className="text-sm font-semibold">Notices</span>
            {unread > 0 && (
              <button type="button" className="text-xs text-blue-800 hover:underline" onClick={() => markRead.mutate({ all: true })}>
                Mark all read
              </button>
            )}
          </div>
          {list.length === 0 ? (
            <p className="px-2 py-3 text-sm text-slate-600">Nothing new.</p>
          ) : (
            <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto">
              {list.map((n) => (
                <li key={n.id}>
                  <Link
                    href={n.href}
                    onClick={() => {
                      if (!n.read) markRead.mutate({ ids: [n.id] });
                      setOpen(false);
                    }}
                    className={`block rounded px-2 py-2 text-sm hover:bg-slate-50 ${n.read ? "text-slate-600" : "text-slate-900"}`}
                  >
                    <span className={n.read ? "" : "font-semibold"}>
                      {n.read ? "" : <span className="sr-only">Unread: </span>}
                      {n.title}
                    </span>
                    <span className="block">{n.body}</span>
                    <LocalTime iso={n.createdAt} className="block text-xs text-slate-500" />
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ToastProvider } from "@/components/toast";

export const metadata: Metadata = { robots: { index: false, follow: false } };

// The compact frame of docs/embedding.md: no app header or navigation (the CRM has its own),
// usable from 360 px. Dialogs open near the top: the host sizes the frame to its content, so
// the middle of the frame may be far below what the agent sees.
export default function EmbedLayout({ children }: { children: ReactNode }) {
  return (
    <ToastProvider>
      <main id="main" className="mx-auto max-w-5xl p-3 sm:p-4 [&_dialog]:mt-4">
        {children}
      </main>
    </ToastProvider>
  );
}

import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/trpc";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Partial Cancellation", template: "%s · Partial Cancellation" },
  description: "Cancel order lines and quantities, preview the refund, run the approval queue.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}

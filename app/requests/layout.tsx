import type { ReactNode } from "react";
import { ToastProvider } from "@/components/toast";

export default function RequestsLayout({ children }: { children: ReactNode }) {
  return <ToastProvider>{children}</ToastProvider>;
}

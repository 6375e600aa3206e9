export interface AppErrorInfo {
  code: string;
  message: string;
  details?: unknown;
}

/** The `{code, message, details}` a tRPC error carries in `data.appError` (server/api/trpc.ts). */
export function appErrorOf(error: unknown): AppErrorInfo | null {
  if (!error) return null;
  const data = (error as { data?: { appError?: AppErrorInfo } }).data;
  if (data?.appError?.code) return data.appError;
  const message = error instanceof Error ? error.message : "Something went wrong.";
  return { code: "NETWORK", message: message || "Something went wrong." };
}

/** A message an agent can act on; validation details are listed after the summary. */
export function describeAppError(error: unknown): string {
  const info = appErrorOf(error);
  if (!info) return "";
  if (info.code === "VALIDATION_FAILED" && Array.isArray(info.details)) {
    const parts = (info.details as { message?: string }[]).map((d) => d.message).filter(Boolean);
    if (parts.length) return `${info.message} ${parts.join("; ")}.`;
  }
  if (info.code === "NETWORK") return "The server could not be reached. Check your connection and try again.";
  return info.message;
}

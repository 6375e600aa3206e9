"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { describeAppError } from "../app-error";
import { Button } from "../button";
import { useTRPC } from "../trpc";

/** A key's requests-per-minute limit: empty means the default (RATE_LIMIT_API_KEY_PER_MINUTE). */
export function ApiKeyRateLimit({ apiKeyId, name, perMinute }: { apiKeyId: string; name: string; perMinute: number | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(perMinute === null ? "" : String(perMinute));
  const save = useMutation(
    trpc.admin.apiKeys.setRateLimit.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.admin.apiKeys.list.queryKey() }),
    }),
  );
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ apiKeyId, perMinute: value.trim() === "" ? null : Number(value) });
  }
  const id = `rate-${apiKeyId}`;
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-1">
      <label htmlFor={id} className="sr-only">
        Requests per minute for {name}
      </label>
      <input
        id={id}
        inputMode="numeric"
        pattern="[0-9]*"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder="default"
        className="w-24 rounded border border-slate-400 px-2 py-1 text-sm"
      />
      <span className="text-xs text-slate-600">/min</span>
      <Button type="submit" variant="secondary" disabled={save.isPending} aria-label={`Save the limit of ${name}`}>
        Save
      </Button>
      {save.isError && (
        <span role="alert" className="text-xs text-red-800">
          {describeAppError(save.error)}
        </span>
      )}
      {save.isSuccess && !save.isPending && <span className="text-xs text-green-800">Saved</span>}
    </form>
  );
}

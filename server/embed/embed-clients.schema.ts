import { z } from "zod";
import { isAllowedScheme, normalizeOrigin } from "./origins";

const ZOriginSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const origin = normalizeOrigin(value);
    if (!origin) {
      ctx.addIssue({ code: "custom", message: `"${value}" is not an origin like https://crm.example.com (no path, no trailing dot, default port left out)` });
      return z.NEVER;
    }
    if (!isAllowedScheme(origin)) {
      ctx.addIssue({ code: "custom", message: `${origin} must use https (plain http only for localhost and 127.0.0.1)` });
      return z.NEVER;
    }
    return origin;
  });

const ZOriginsSchema = z
  .array(ZOriginSchema)
  .min(1, "at least one origin")
  .max(20)
  .transform((o) => [...new Set(o)]);

export const ZRegisterEmbedClientSchema = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "lowercase letters, digits and dashes, 2 to 63 characters"),
  name: z.string().trim().min(1, "a name").max(100),
  allowedOrigins: ZOriginsSchema,
});
export type TRegisterEmbedClient = z.infer<typeof ZRegisterEmbedClientSchema>;

export const ZUpdateEmbedClientSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    allowedOrigins: ZOriginsSchema.optional(),
    active: z.boolean().optional(),
    rotateSecret: z.literal(true).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, "nothing to change");
export type TUpdateEmbedClient = z.infer<typeof ZUpdateEmbedClientSchema>;

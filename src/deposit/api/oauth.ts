import { z } from 'zod';

/** PISTE OAuth2 client-credentials exchange (chorus-pro-api.md §1.2). */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'jeton Bearer attendu'),
  expires_in: z.coerce.number().int().positive(),
  scope: z.string().nullish(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().nullish() });

export const tokenRequestSchema = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  scope: z.string().optional(),
});

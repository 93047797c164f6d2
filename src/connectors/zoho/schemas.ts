import { z } from 'zod';

/** Zoho's error object: at the top level of a failed request, and per record inside `data[]` / `watch[]`. */
export const ZohoErrorBody = z.object({
  code: z.string(),
  details: z.record(z.string(), z.unknown()).catch({}),
  message: z.string().catch(''),
  status: z.literal('error'),
});
export type ZohoErrorBody = z.infer<typeof ZohoErrorBody>;

/** A record as GET/search/list return it: field API name → value (lookups are {name,id} objects). */
export const ZohoRecord = z.looseObject({
  id: z.string(),
  Modified_Time: z.string(),
});
export type ZohoRecord = z.infer<typeof ZohoRecord>;

export const ZohoRecordsResponse = z.object({
  data: z.array(ZohoRecord),
  info: z
    .looseObject({
      more_records: z.boolean().optional(),
      next_page_token: z.string().nullish(),
    })
    .optional(),
});
export type ZohoRecordsResponse = z.infer<typeof ZohoRecordsResponse>;

export const ZohoWriteSuccess = z.looseObject({
  code: z.literal('SUCCESS'),
  status: z.literal('success'),
  action: z.enum(['insert', 'update']).optional(),
  details: z.looseObject({ id: z.string(), Modified_Time: z.string().optional() }),
});
export type ZohoWriteSuccess = z.infer<typeof ZohoWriteSuccess>;

export const ZohoWriteItem = z.union([ZohoWriteSuccess, ZohoErrorBody]);
export type ZohoWriteItem = z.infer<typeof ZohoWriteItem>;

export const ZohoWriteResponse = z.object({ data: z.array(ZohoWriteItem).min(1) });

export const ZohoFieldsResponse = z.object({
  fields: z.array(z.looseObject({ api_name: z.string() })),
});

export const ZohoFieldsCreateResponse = z.object({
  fields: z.array(z.union([z.looseObject({ code: z.literal('SUCCESS'), status: z.literal('success') }), ZohoErrorBody])).min(1),
});

export const ZohoWatchResponse = z.object({
  watch: z
    .array(
      z.union([
        z.looseObject({
          code: z.literal('SUCCESS'),
          status: z.literal('success'),
          details: z.looseObject({ events: z.array(z.looseObject({ channel_expiry: z.string().optional() })).optional() }),
        }),
        ZohoErrorBody,
      ]),
    )
    .min(1),
});

/** Zoho Accounts answers most refresh failures with HTTP 200 and an `error` body. */
export const ZohoTokenResponse = z.union([
  z.object({
    access_token: z.string().min(1),
    expires_in: z.number().optional(),
    expires_in_sec: z.number().optional(),
    refresh_token: z.string().optional(),
    api_domain: z.string().optional(),
  }),
  z.object({ error: z.string(), error_description: z.string().optional() }),
]);

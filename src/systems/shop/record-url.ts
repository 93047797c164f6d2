import { COLLECTION } from '../../connectors/shop/snapshot';
import type { CrmObject } from '../../domain/records';

/**
 * Where a person opens the record in the shop's back office: `<backOfficeUrl>/<collection>/<id>` (UNCONFIRMED: the
 * shop is the company's own, so the layout is an assumption to adjust); null when no back-office URL is configured.
 */
export function shopRecordUrl(backOfficeUrl: string | undefined, object: CrmObject, id: string): string | null {
  if (!backOfficeUrl) return null;
  return `${backOfficeUrl.replace(/\/+$/, '')}/${COLLECTION[object]}/${encodeURIComponent(id)}`;
}

import { z } from 'zod';
import type { ReplacedValues } from '../../domain/merge';
import type { WrittenSince } from '../../domain/own-writes';
import type { CrmObject } from '../../domain/records';
import { PermanentCrmError, TransientCrmError } from '../errors';
import type { ZohoHttp } from './http';
import { recordsByIds } from './read';
import { modifiedAtOf } from './snapshot';

const CurrentUser = z.object({ users: z.array(z.object({ id: z.string() })) });
const ModifiedBy = z.object({ id: z.string() });

/**
 * CrmConnector.valuesReplaced for Zoho. Zoho keeps no field history the API reads cheaply, but every record says who
 * modified it last. A record whose last modifier is the hub's own user, since the link's last sync, was changed by
 * nobody but us: a field there still holding our unsaved write holds no one's edit, and what the link held at that
 * sync stands for it (a write a lost save left behind, or one a person undid in the other system meanwhile). A person
 * who set the field back to our value shows as its last modifier, and stays an edit. This needs the hub to have a
 * Zoho user of its own: a person working under that same user is taken for the hub here.
 */
export function createZohoReplacedReader(http: ZohoHttp) {
  let hubUser: Promise<string | null> | null = null;
  // Who the hub is never changes for a token. A token not granted ZohoCRM.users.READ is refused for good: then nothing
  // is known, as before this existed, rather than every such pass failing. Any other failure is asked again next time.
  const hubUserId = (): Promise<string | null> => {
    hubUser ??= currentUserId(http).catch((error: unknown) => {
      if (error instanceof PermanentCrmError) return null;
      hubUser = null;
      throw error;
    });
    return hubUser;
  };

  return async (object: CrmObject, writes: WrittenSince[]): Promise<Map<string, ReplacedValues>> => {
    const replaced = new Map<string, ReplacedValues>();
    if (writes.length === 0) return replaced;
    const hub = await hubUserId();
    if (hub === null) return replaced;
    const byId = new Map(writes.map((write) => [write.id, write]));
    for (const record of await recordsByIds(http, `read ${object}s' last modifier`, object, [...byId.keys()], ['Modified_By', 'Modified_Time'])) {
      const write = byId.get(record.id);
      const modifier = ModifiedBy.safeParse(record.Modified_By);
      if (!write || !modifier.success || modifier.data.id !== hub || modifiedAtOf(record.Modified_Time) < write.since) continue;
      replaced.set(record.id, Object.fromEntries(Object.keys(write.fields).map((field) => [field, { value: write.base[field] ?? null, at: write.since }])));
    }
    return replaced;
  };
}

/** The user the access token acts as (GET /users?type=CurrentUser, https://www.zoho.com/crm/developer/docs/api/v8/get-users.html). */
async function currentUserId(http: ZohoHttp): Promise<string> {
  const operation = 'read the current user';
  const { status, body } = await http.request(operation, { method: 'GET', path: '/crm/v8/users', params: { type: 'CurrentUser' } });
  const parsed = CurrentUser.safeParse(body);
  const user = parsed.success ? parsed.data.users[0] : undefined;
  if (!user) throw new TransientCrmError(`Zoho ${operation} answered an unexpected body`, status);
  return user.id;
}

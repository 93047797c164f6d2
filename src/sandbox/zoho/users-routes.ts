import type { Router } from 'express';
import { queryString, route } from '../common/route';
import type { ZohoContext } from './context';
import { ZohoHttpError, errors, zohoError } from './errors';
import type { ZohoUser } from './record-types';

/**
 * The `type` values of GET /users this org can tell apart (https://www.zoho.com/crm/developer/docs/api/v8/get-users.html).
 * Both simulated users are active, confirmed administrators; CurrentUser is the one the access token belongs to.
 */
const ALL_USER_TYPES = ['AllUsers', 'ActiveUsers', 'ConfirmedUsers', 'ActiveConfirmedUsers', 'AdminUsers', 'ActiveConfirmedAdmins'];
const NO_USER_TYPES = ['DeactiveUsers', 'NotConfirmedUsers', 'DeletedUsers'];

function view(user: ZohoUser): Record<string, unknown> {
  return { id: user.id, full_name: user.name, email: user.email, zuid: user.zuid, status: 'active', confirm: true, profile: { name: 'Administrator' } };
}

/** GET /crm/v8/users: the org's users, of whom only the API user and the "UI" user exist; needs a users scope. */
export function registerUsersRoutes(router: Router, ctx: ZohoContext): void {
  route(router, 'get', '/crm/v8/users', (req, res) => {
    const granted = ctx.options.scope.split(/[\s,]+/);
    if (!granted.includes('ZohoCRM.users.READ') && !granted.includes('ZohoCRM.users.ALL')) {
      throw new ZohoHttpError(401, zohoError('OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL'));
    }
    const type = queryString(req, 'type') ?? 'AllUsers';
    let users: ZohoUser[];
    if (type === 'CurrentUser') users = [ctx.data.apiUser];
    else if (ALL_USER_TYPES.includes(type)) users = [ctx.data.apiUser, ctx.data.uiUser];
    else if (NO_USER_TYPES.includes(type)) users = [];
    else throw errors.invalidParam('type');
    if (users.length === 0) {
      res.status(204).end();
      return;
    }
    res.json({ users: users.map(view), info: { per_page: 200, count: users.length, page: 1, more_records: false } });
  });
}

import { Router, type Request } from 'express';
import { param, route } from '../common/route';
import type { ShopContext } from './context';
import { notFound } from './errors';
import { BusinessInput, NewBusiness, NewPurchase, NewUser, PurchaseInput, UserInput } from './inputs';
import { parseCollection, type Collection } from './records';

function collectionOf(req: Request): Collection {
  const collection = parseCollection(param(req, 'collection'));
  if (!collection) throw notFound(`/_sim/ui/${param(req, 'collection')}`);
  return collection;
}

/**
 * /_sim/ui/*: changes "made by a person in the shop's back office". Same rules as commands; every change publishes
 * its event. Answers carry the whole record, `external_ids` and `deleted_at` included.
 */
export function uiRoutes(ctx: ShopContext): Router {
  const router = Router();
  const { data } = ctx;

  route(router, 'post', '/_sim/ui/:collection', (req, res) => {
    const collection = collectionOf(req);
    if (collection === 'users') res.status(201).json(data.createUser(NewUser.parse(req.body)));
    else if (collection === 'businesses') res.status(201).json(data.createBusiness(NewBusiness.parse(req.body)));
    else res.status(201).json(data.createPurchase(NewPurchase.parse(req.body)));
  });

  route(router, 'patch', '/_sim/ui/:collection/:id', (req, res) => {
    const collection = collectionOf(req);
    const id = param(req, 'id');
    if (collection === 'users') res.json(data.updateUser(data.live('users', id), UserInput.partial().parse(req.body)));
    else if (collection === 'businesses') res.json(data.updateBusiness(data.live('businesses', id), BusinessInput.partial().parse(req.body)));
    else res.json(data.updatePurchase(data.live('purchases', id), PurchaseInput.partial().parse(req.body)));
  });

  route(router, 'delete', '/_sim/ui/:collection/:id', (req, res) => {
    data.remove(collectionOf(req), param(req, 'id'));
    res.status(204).end();
  });

  return router;
}

import type { Request } from 'express';
import type { FaultState } from '../common/faults';
import type { SimStats } from '../common/stats';
import type { ZohoData } from './data';
import { errors } from './errors';
import { type ModuleName, resolveModule } from './fields';
import type { ZohoSimulatorOptions } from './options';
import type { RecordView } from './record-view';
import type { RecordWriter } from './writer';

/** Everything a route needs, built once per simulator in app.ts. */
export interface ZohoContext {
  options: ZohoSimulatorOptions;
  data: ZohoData;
  view: RecordView;
  writer: RecordWriter;
  stats: SimStats;
  faults: FaultState;
  /** The public base URL (api_domain): used in resource_uri values. */
  apiDomain(): string;
}

export function moduleParam(req: Request, name = 'module'): ModuleName {
  const raw = req.params[name];
  const module = typeof raw === 'string' ? resolveModule(raw) : null;
  if (!module) throw errors.invalidModule();
  return module;
}

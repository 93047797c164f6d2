import type { Response } from 'express';

/** Zoho's error object, used both at the top level and inside `data[]` / `watch[]`. */
export interface ZohoErrorBody {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: 'error';
}

export function zohoError(code: string, message: string, details: Record<string, unknown> = {}): ZohoErrorBody {
  return { code, details, message, status: 'error' };
}

/** Thrown by parsers and validators; the route layer turns it into a top-level error response. */
export class ZohoHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: ZohoErrorBody,
  ) {
    super(body.message);
  }
}

export function sendError(res: Response, status: number, body: ZohoErrorBody): void {
  res.status(status).json(body);
}

export const errors = {
  requiredParam: (param: string) =>
    new ZohoHttpError(400, zohoError('REQUIRED_PARAM_MISSING', 'required param is missing', { param_name: param })),
  invalidModule: () =>
    new ZohoHttpError(400, zohoError('INVALID_MODULE', 'the module name given seems to be invalid', { resource_path_index: 0 })),
  invalidUrl: () =>
    new ZohoHttpError(404, zohoError('INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one')),
  invalidParam: (param: string, message = 'invalid data') =>
    new ZohoHttpError(400, zohoError('INVALID_DATA', message, { param_name: param })),
  bodyMandatory: (apiName: string) =>
    new ZohoHttpError(
      400,
      zohoError('MANDATORY_NOT_FOUND', 'required field not found', { api_name: apiName, json_path: `$.${apiName}` }),
    ),
  invalidRecordId: () => new ZohoHttpError(400, zohoError('INVALID_DATA', 'invalid record id', { resource_path_index: 0 })),
  invalidBody: () => new ZohoHttpError(400, zohoError('INVALID_DATA', 'body', {})),
  invalidHeader: (header: string) => new ZohoHttpError(400, zohoError('INVALID_DATA', `invalid value for the ${header} header`, { header_name: header })),
  bodyLimit: (apiName: string, limit: number) =>
    new ZohoHttpError(400, zohoError('LIMIT_EXCEEDED', 'limit exceeded', { api_name: apiName, json_path: `$.${apiName}`, limit })),
};

/** Per-record field problem: `The field value given for X is invalid` with api_name + json_path (+ extras). */
export function invalidField(index: number, apiName: string, extra: Record<string, unknown> = {}): ZohoErrorBody {
  return zohoError('INVALID_DATA', `The field value given for ${apiName} is invalid`, {
    api_name: apiName,
    json_path: `$.data[${index}].${apiName}`,
    ...extra,
  });
}

/** An API name the module does not have (OAS createRecords 207 example). */
export function unknownField(index: number, apiName: string): ZohoErrorBody {
  return zohoError('INVALID_DATA', 'the field api name given seems to be invalid', {
    api_name: apiName,
    json_path: `$.data[${index}].${apiName}`,
  });
}

export function mandatoryMissing(index: number, apiName: string): ZohoErrorBody {
  return zohoError('MANDATORY_NOT_FOUND', 'required field not found', {
    api_name: apiName,
    json_path: `$.data[${index}].${apiName}`,
  });
}

export function invalidId(index: number, id: string): ZohoErrorBody {
  return zohoError('INVALID_DATA', 'the id given seems to be invalid', { id, resource_path_index: index });
}

/** An update refused by If-Unmodified-Since; `details` is the record's current meta (OAS updateRecords 412 example). */
export function alreadyModified(details: Record<string, unknown>): ZohoErrorBody {
  return zohoError('ALREADY_MODIFIED', 'record updated time has already passed if-unmodified-since time', details);
}

export const AUTH_FAILURE = zohoError('AUTHENTICATION_FAILURE', 'Authentication failed');
export const INVALID_TOKEN = zohoError('INVALID_TOKEN', 'invalid oauth token');
export const INTERNAL_ERROR = zohoError('INTERNAL_ERROR', 'Internal Server Error');

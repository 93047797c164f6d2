import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes on every sync workflow. Never PII: ids and states only. */
export const CrmSystemKey = defineSearchAttributeKey('CrmSystem', SearchAttributeType.KEYWORD);
export const CrmObjectKey = defineSearchAttributeKey('CrmObject', SearchAttributeType.KEYWORD);
export const CrmRecordIdKey = defineSearchAttributeKey('CrmRecordId', SearchAttributeType.KEYWORD);
export const SyncStatusKey = defineSearchAttributeKey('SyncStatus', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [CrmSystemKey, CrmObjectKey, CrmRecordIdKey, SyncStatusKey];

export type SyncStatus = 'ok' | 'failed' | 'pending' | 'skipped';

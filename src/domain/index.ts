export * from './records';
export {
  toCanonical,
  fromCanonical,
  wireFieldNames,
  matchKeysOf,
  mappingsOf,
  columnOf,
  writesTo,
  readsFrom,
  representable,
  holdsRuleOf,
  holdsOnItsOwn,
  deleteActionFor,
  crossReferenceField,
  crossReferenceFields,
  type DeleteAction,
  type HoldsRule,
} from './mapping';
export { wireToCanonical, canonicalToWire, enumKnows } from './transforms';
export { validateFor, type ValidateOptions } from './validation';
export type { FieldProblem } from './field-problem';
export { mergeRecords, type MergeSide, type MergeResult, type MergeInput } from './merge';
export { changedFields } from './side-changes';
export { mappingsTable } from './mappings-table';
export { describeCondition, evaluateCondition, canonicalReader } from './conditions';
export type { Condition, FieldCondition } from './schema/condition';
export type { FieldMapping, Column, ColumnDirection } from './schema/field-mapping';
export type { Transform } from './schema/transform';
export type { SyncRules } from './schema/sync-rules';

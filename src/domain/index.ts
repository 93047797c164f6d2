export * from './records';
export {
  toCanonical,
  fromCanonical,
  wireFieldNames,
  matchKeysOf,
  isHot,
  mappingsOf,
  writesTo,
  deleteActionFor,
  type DeleteAction,
} from './mapping';
export { validateFor, type ValidateOptions } from './validation';
export { mergeRecords, type MergeSide, type MergeResult, type MergeInput } from './merge';
export { changedFields } from './side-changes';
export { mappingsTable } from './mappings-table';
export { describeCondition, evaluateCondition, canonicalReader, rawReader } from './conditions';
export type { Condition, FieldCondition } from './schema/condition';
export type { FieldMapping, Direction } from './schema/field-mapping';
export type { Transform } from './schema/transform';

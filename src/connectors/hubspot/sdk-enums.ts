/*
 * The SDK's generated string enums, which its request types require. The package root does not re-export them,
 * so they come from the generated code (paths as laid out in 13.5).
 */
export { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects';
export { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties';
export { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4';

import type { RecordRef } from '../../../src/domain/records';
import type { Entity, EntitySave, Link } from '../../../src/store';
import { uniqueId } from './backends';

/*
 * The store names no system: these tests use three names, and any would do. Entity ids are the store's own (bigserial)
 * and shared by every test of a suite, so each test finds its entities through the unique record ids it made up.
 */

export function newLink(overrides: Partial<Link> = {}): Link {
  return {
    recordId: uniqueId('rec'),
    base: { email: 'ada@example.com', phone: null },
    version: '2026-01-01T00:00:00.000Z',
    modifiedAt: Date.parse('2026-01-01T00:00:00.000Z'),
    ...overrides,
  };
}

export function newSave(overrides: Partial<EntitySave> = {}): EntitySave {
  return {
    id: null,
    object: 'contact',
    base: { email: 'ada@example.com', phone: null, name: 'Ada Lövelace' },
    links: { hubspot: newLink(), zoho: newLink({ version: '2026-01-01T00:00:01+00:00', modifiedAt: Date.parse('2026-01-01T00:00:01Z') }) },
    expectedRevision: null,
    ...overrides,
  };
}

/** The save a pass would make of what it read, with `changes` applied. */
export function updateOf(entity: Entity, changes: Partial<EntitySave> = {}): EntitySave {
  return { id: entity.id, object: entity.object, base: entity.base, links: entity.links, expectedRevision: entity.revision, ...changes };
}

export function refOf(save: Pick<EntitySave, 'object' | 'links'>, system: string): RecordRef {
  return { system, object: save.object, id: save.links[system]?.recordId ?? 'missing' };
}

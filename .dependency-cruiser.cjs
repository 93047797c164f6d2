/**
 * The layers of src/, checked by `npm run layers` in CI. Type-only imports (`import type`, or every name marked
 * `type`) are told apart because tsPreCompilationDeps keeps them: they are erased from the JavaScript and carry the
 * dependency type 'type-only'.
 */
const OURS_OUTSIDE = (folder) => ({ path: '^src/', pathNot: `^src/${folder}/` });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-the-bottom',
      comment: 'src/domain is pure logic: it imports nothing of ours outside src/domain.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: OURS_OUTSIDE('domain'),
    },
    {
      name: 'workflows-import-domain-and-messages',
      comment:
        'Workflow code is replayed deterministically: it imports only src/workflows, src/domain, activity modules (by type, see the next rule) and the search-attribute keys of src/temporal/search-attributes.ts.',
      severity: 'error',
      from: { path: '^src/workflows/' },
      to: { path: '^src/', pathNot: ['^src/(workflows|domain|activities)/', '^src/temporal/search-attributes\\.ts$'] },
    },
    {
      name: 'workflows-import-activities-by-type',
      comment: 'Workflows import activity types only: the activities run in the worker, never in the workflow sandbox.',
      severity: 'error',
      from: { path: '^src/workflows/' },
      to: { path: '^src/activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'connectors-below-orchestration',
      comment: 'Connectors talk to one CRM: they never import workflows, activities, the worker, the ingress or the runtime.',
      severity: 'error',
      from: { path: '^src/connectors/' },
      to: { path: '^src/(workflows|activities|worker|ingress|runtime)(/|\\.ts$)' },
    },
    {
      name: 'store-below-connectors',
      comment: 'The store keeps our own state: it never imports connectors, workflows or activities.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(connectors|workflows|activities)/' },
    },
    {
      name: 'sandbox-stands-alone',
      comment: 'The simulators import nothing from the rest of src: a fake CRM that shared our code would agree with our bugs.',
      severity: 'error',
      from: { path: '^src/sandbox/' },
      to: OURS_OUTSIDE('sandbox'),
    },
    {
      name: 'no-cycles',
      comment: 'No circular imports in src, type-only ones included: a cycle means two modules are one.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    parser: 'tsc',
  },
};

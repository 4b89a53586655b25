/**
 * Layer rules, checked by `npm test` (lint:layers). The domain is pure: no Nest, no adapters, no
 * Node I/O, no npm packages; only its own files. Adapters and the application never reach into apps.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain holds deciders and evolve functions: pure TypeScript, no framework, no I/O.',
      severity: 'error',
      from: { path: '^libs/domain/src', pathNot: '\\.(spec|testing)\\.ts$' },
      to: { pathNot: '^libs/domain/src' },
    },
    {
      name: 'domain-no-node-builtins',
      severity: 'error',
      from: { path: '^libs/domain/src' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'contracts-depend-on-nothing',
      comment: 'Public event schemas are data; they import nothing but each other.',
      severity: 'error',
      from: { path: '^libs/contracts/src' },
      to: { pathNot: '^libs/contracts/src' },
    },
    {
      name: 'event-store-knows-no-domain',
      comment: 'The log stores events of any type; it does not know the domain or the application.',
      severity: 'error',
      from: { path: '^libs/event-store/src' },
      to: { path: '^(libs/(domain|application)|apps)/' },
    },
    {
      name: 'read-store-knows-no-domain',
      comment: 'The read store keeps JSON documents and checkpoints for any projection; it knows no domain, application, projection or app.',
      severity: 'error',
      from: { path: '^libs/read-store/src' },
      to: { path: '^(libs/(domain|application|projections)|apps)/' },
    },
    {
      name: 'projections-not-apps-or-application',
      comment: 'Projections and the projector build on the domain, the event store and the read store; never on the command side or an app.',
      severity: 'error',
      from: { path: '^libs/projections/src' },
      to: { path: '^(libs/application|apps)/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};

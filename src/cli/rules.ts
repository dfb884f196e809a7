import { Option, type Command } from 'commander';
import { allRuleMetas } from '../rules/catalog.js';

/** `nhi-audit rules`: the rule table, generated from rules/ (the same data SARIF and docs use). */
export function registerRules(program: Command): void {
  program
    .command('rules')
    .description('list the secret rules and posture checks (id, title, severity, OWASP NHI ids)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .addOption(new Option('--kind <kind>', 'only secret rules or only checks').choices(['secret', 'check']))
    .addHelpText('after', '\nExamples:\n  $ nhi-audit rules\n  $ nhi-audit rules --format json | jq \'.[] | select(.severity == "critical") | .id\'\n  $ nhi-audit rules --kind check')
    .action((opts: { format: string; kind?: string }) => {
      const metas = allRuleMetas().filter((r) => !opts.kind || r.kind === opts.kind);
      if (opts.format === 'json') {
        const rows = metas.map((r) => ({ id: r.id, kind: r.kind, group: r.group, title: r.title, severity: r.severity, owasp: r.owasp, precision: r.precision, description: r.description, remediation: r.remediation, references: r.references, file: r.file }));
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const w = Math.max(...metas.map((r) => r.id.length), 2);
      const lines = metas.map((r) => `${r.id.padEnd(w)}  ${r.severity.padEnd(8)}  ${r.owasp.join(',').padEnd(15)}  ${r.title}`);
      process.stdout.write(`${'ID'.padEnd(w)}  SEVERITY  OWASP            TITLE\n${lines.join('\n')}\n${metas.length} rules\n`);
    });
}

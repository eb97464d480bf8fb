/**
 * The TCR as JUnit XML, for CI systems: one test suite for the exit criteria (a failure per criterion
 * not met) and one for coverage (a failure per requirement failing, a skip per requirement uncovered).
 */
import type { Tcr } from './tcr';

const x = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderTcrJunit(tcr: Tcr): string {
  const criteria = tcr.exitCriteria
    .map(
      (c) =>
        `    <testcase classname="exit-criteria" name="${x(`${c.id} ${c.description}`)}">${c.met ? '' : `<failure message="${x(c.evidence)}"/>`}</testcase>`,
    )
    .join('\n');
  const coverage = tcr.coverage
    .map((c) => {
      const body =
        c.status === 'failing'
          ? `<failure message="${x(
              c.scenarios
                .filter((s) => s.status !== 'passed')
                .map((s) => s.name)
                .join('; '),
            )}"/>`
          : c.status === 'uncovered'
            ? '<skipped message="no scenario proves it"/>'
            : '';
      return `    <testcase classname="coverage" name="${x(`${c.id} ${c.title}`)}">${body}</testcase>`;
    })
    .join('\n');
  const failedCriteria = tcr.exitCriteria.filter((c) => !c.met).length;
  const failingCoverage = tcr.coverage.filter((c) => c.status === 'failing').length;
  const uncovered = tcr.coverage.filter((c) => c.status === 'uncovered').length;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- ${tcr.target.headline.replace(/--/g, '- -')} -->
<testsuites name="${x(`${tcr.title}: ${tcr.target.headline}`)}" tests="${tcr.exitCriteria.length + tcr.coverage.length}" failures="${failedCriteria + failingCoverage}">
  <testsuite name="Exit criteria" tests="${tcr.exitCriteria.length}" failures="${failedCriteria}" timestamp="${tcr.generatedAt}">
    <properties>
      <property name="target" value="${x(tcr.target.headline)}"/>
      <property name="environment-runs" value="${tcr.target.environmentRuns}"/>
      <property name="rehearsal-runs" value="${tcr.target.rehearsalRuns}"/>
      <property name="confirmation" value="${x(tcr.target.note)}"/>
    </properties>
${criteria}
  </testsuite>
  <testsuite name="Coverage traceability" tests="${tcr.coverage.length}" failures="${failingCoverage}" skipped="${uncovered}" timestamp="${tcr.generatedAt}">
${coverage}
  </testsuite>
</testsuites>
`;
}

// A minimal check runner: each check runs in order, a failure is reported with its message and the run
// goes on, so one broken feature does not hide the state of the others.

export const checks = [];

export class CheckFailed extends Error {}

export function expect(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

export async function run(name, fn) {
  const started = Date.now();
  try {
    await fn();
    checks.push({ name, ok: true });
    console.log(`ok ${checks.length} - ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    checks.push({ name, ok: false });
    console.log(`not ok ${checks.length} - ${name}`);
    console.log(`  ${String(e instanceof CheckFailed ? e.message : e.stack || e).split('\n').slice(0, 6).join('\n  ')}`);
  }
}

/** Prints the totals; true when every check passed. */
export function summary(list) {
  const failed = list.filter((c) => !c.ok).length;
  console.log(`browser checks ${list.length - failed} passed, ${failed} failed`);
  return failed === 0;
}

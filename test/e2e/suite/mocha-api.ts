// Typed access to the BDD globals mocha installs before it loads each test file (the suite is
// bundled without @types/mocha, and the project's tsc checks these files too).

export interface TestContext {
    timeout(ms: number): void;
    skip(): never;
}
type TestFn = (this: TestContext) => Promise<unknown> | void;
type SuiteFn = (this: { timeout(ms: number): void }) => void;
const g = globalThis as unknown as Record<string, (...args: unknown[]) => unknown>;

export const describe = (title: string, fn: SuiteFn): void => {
    g.describe(title, fn);
};
export const it = (title: string, fn: TestFn): void => {
    g.it(title, fn);
};
export const before = (fn: TestFn): void => {
    g.before(fn);
};
export const after = (fn: TestFn): void => {
    g.after(fn);
};
export const afterEach = (fn: TestFn): void => {
    g.afterEach(fn);
};

/** Marks the running test as pending with a reason that the summary prints. */
export function skipBecause(context: TestContext, reason: string): never {
    const reasons = ((globalThis as Record<string, unknown>).__hatopoPendingReasons ??= []) as string[];
    reasons.push(reason);
    context.skip();
}

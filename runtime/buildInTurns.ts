// The SDK starts registering a resource as a chain of promises the moment it is constructed, and
// the chain only moves once the constructing code gives the event loop back. Built in one go, all
// teams' chains are alive at once: at 500 teams a preview held 1.8 GB and spent a growing share of
// each team's time in garbage collection. Built one per turn, each team's registrations are
// serialized and sent before the next team is built, so time and memory per team stay flat.
// Nothing waits for a registration to finish: `pulumi up` still creates the teams in parallel.

/**
 * Calls `build` on each item in order, the first at once and each next one on a later turn of the
 * event loop. Resolves to the results in order; rejects with the first error thrown, after which
 * nothing more is built.
 */
export function buildInTurns<T, R>(items: readonly T[], build: (item: T) => R): Promise<R[]> {
    return new Promise((resolve, reject) => {
        const results: R[] = [];
        const buildFrom = (index: number): void => {
            if (index === items.length) {
                resolve(results);
                return;
            }
            try {
                results.push(build(items[index]));
            } catch (err) {
                reject(err instanceof Error ? err : new Error(String(err)));
                return;
            }
            setImmediate(buildFrom, index + 1);
        };
        buildFrom(0);
    });
}
